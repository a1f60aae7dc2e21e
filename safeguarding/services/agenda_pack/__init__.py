"""The meeting office's agenda pack and the papers' cover sheets (issue 17; domain.md
"Meetings"). See `pack` for how the pack is built, kept and who may have which version."""

from safeguarding.services.agenda_pack.cover_sheets import cover_sheet_of, cover_sheets_of, save_cover_sheet
from safeguarding.services.agenda_pack.pack import (
    VERSIONS,
    PackSpec,
    agenda_pack,
    build_pack,
    check_access,
    check_version,
    pack_file_name,
    pack_spec,
)

__all__ = [
    "VERSIONS",
    "PackSpec",
    "agenda_pack",
    "build_pack",
    "check_access",
    "check_version",
    "cover_sheet_of",
    "cover_sheets_of",
    "pack_file_name",
    "pack_spec",
    "save_cover_sheet",
]
