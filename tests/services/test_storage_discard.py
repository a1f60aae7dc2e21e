"""A stored file removed by a disposal goes from the disk only when its transaction
commits: a rolled-back disposal leaves the file where it was."""

from __future__ import annotations

from pathlib import Path

from safeguarding.extensions import db
from safeguarding.services import storage
from tests.support.committed import committed_app


def test_the_file_goes_when_the_transaction_commits_and_stays_when_it_rolls_back(tmp_path):
    with committed_app(tmp_path) as (app, _url), app.app_context():
        kept = storage.store_bytes(
            b"%PDF-1 kept", extension="pdf", content_type="application/pdf", purpose="t", name="a.pdf", by_id=None
        )
        gone = storage.store_bytes(
            b"%PDF-1 gone", extension="pdf", content_type="application/pdf", purpose="t", name="b.pdf", by_id=None
        )
        db.session.commit()
        folder = Path(app.config["UPLOAD_FOLDER"])
        kept_path, gone_path = folder / kept.storage_key, folder / gone.storage_key
        storage.discard_stored(kept)
        db.session.flush()
        db.session.rollback()
        assert kept_path.is_file()
        storage.discard_stored(gone)
        db.session.commit()
        assert not gone_path.exists() and kept_path.is_file()
