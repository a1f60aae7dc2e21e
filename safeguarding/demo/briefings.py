"""The learning briefings' demo: three 7-minute briefings — the older SAR followed to
impact (published in 2025, shared by four organisations), the September 2026 self-neglect
audit (published, shared by two), and a draft for the SAR published last week."""

from __future__ import annotations

from safeguarding.demo import DemoContext, at, day, step
from safeguarding.services.learning import briefings

# (organisation key, who records it: its own partner member's account or the office, on, how)
SAR_2024_SHARED = [
    ("police", "police", (2025, 6, 2), "Briefed at the public protection unit's team meetings"),
    ("north", "north", (2025, 6, 9), "Adult social care staff bulletin and team meetings"),
    ("icb", "office", (2025, 6, 16), "GP safeguarding leads' forum (recorded by the office from the ICB's email)"),
    ("fire", "office", (2025, 7, 1), "Home fire safety visit teams' briefing"),
]
AUDIT_SHARED = [
    ("west", "west", (2026, 10, 27), "Adult social care practice forum"),
    ("acute", "office", (2026, 11, 4), "Ward safeguarding champions' meeting (recorded by the office)"),
]


def _confirm(ctx: DemoContext, b, shared) -> None:
    for org, who, on, how in shared:
        with at(day(*on)):
            briefings.confirm_sharing(
                b, ctx.users[who], organisation_id=ctx.orgs[org].id, confirmed_on=day(*on), how_shared=how
            )


def _briefing(ctx: DemoContext, kind: str, row, written: tuple, published: tuple | None):
    office = ctx.users["office"]
    source = briefings.load_source(kind, row.id)
    with at(day(*written)):
        b = briefings.create_briefing(source, office, **briefings.generate_draft(source))
    if published:
        with at(day(*published)):
            briefings.publish_briefing(b, office, version=b.version)
    return b


@step(77, "learning briefings")
def seed_briefings(ctx: DemoContext) -> None:
    made = {}
    older = ctx.extra.get("reviews_older", {}).get("sar_2024")
    if older is not None:
        made["sar_2024"] = _briefing(ctx, "review", older, (2025, 5, 12), (2025, 5, 20))
        _confirm(ctx, made["sar_2024"], SAR_2024_SHARED)
    audit = ctx.extra.get("learning_sources", {}).get("MAA 2026/01")
    if audit is not None:
        made["audit"] = _briefing(ctx, "audit", audit, (2026, 10, 12), (2026, 10, 20))
        _confirm(ctx, made["audit"], AUDIT_SHARED)
    recent = ctx.extra.get("reviews", {}).get("published_recently")
    if recent is not None:
        made["draft"] = _briefing(ctx, "review", recent, (2026, 11, 30), None)
    ctx.extra["briefings"] = made
