"""Integer money arithmetic: equal shares, percentages and uplifts in pence (never a
float), and percentages parsed from and written as text."""

from __future__ import annotations

import re


def split_equally(total_pence: int, parts: int) -> list[int]:
    """`total_pence` in `parts` shares that differ by at most a penny: each share is the
    total divided and rounded down; the r pence left over (r = total mod parts) go one
    each to the last r shares. split_equally(10000, 3) == [3333, 3333, 3334]."""
    if parts <= 0:
        return []
    base, left_over = divmod(total_pence, parts)
    return [base + (1 if i >= parts - left_over else 0) for i in range(parts)]


def split_by_weights(total_pence: int, weights: list[int]) -> list[int]:
    """`total_pence` in proportion to `weights` (percentages in hundredths, populations, …),
    to the penny by the **largest remainder** rule: each part is its exact share rounded
    down; the pence left over (fewer than the number of parts) go one each to the parts
    whose exact shares lost the most in rounding down, a tie going to the *later* part in
    order — so equal weights give exactly `split_equally`'s answer. Integer arithmetic
    only. split_by_weights(10000, [1, 1, 1]) == [3333, 3333, 3334];
    split_by_weights(100, [5000, 2500, 2500]) == [50, 25, 25]."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [0 for _ in weights]
    parts = [total_pence * w // whole for w in weights]
    lost = [total_pence * w % whole for w in weights]  # the remainders, in units of 1/whole penny
    left_over = total_pence - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (lost[i], i), reverse=True)
    for i in order[:left_over]:
        parts[i] += 1
    return parts


def percentage_of(amount_pence: int, basis_points: int) -> int:
    """`basis_points` hundredths of a percent of an amount, to the nearest penny (halves up)."""
    return (amount_pence * basis_points + 5000) // 10000


def with_uplift(amount_pence: int, basis_points: int) -> int:
    """An amount raised by `basis_points` hundredths of a percent, to the nearest penny."""
    return (amount_pence * (10000 + basis_points) + 5000) // 10000


PERCENT_RE = re.compile(r"^\d{1,3}(\.\d{1,2})?$")


def parse_percentage(
    raw: str | None, *, what: str = "the percentage", allow_zero: bool = False, maximum_bp: int = 10000
) -> int:
    """ "12.5" or "12.5%" → 1250 (hundredths of a percent), without floats; ValueError with
    a GOV.UK-style message otherwise."""
    text = (raw or "").strip().removesuffix("%").strip()
    cap = what[0].upper() + what[1:]
    if not text:
        raise ValueError(f"Enter {what}")
    if text.startswith("-"):
        raise ValueError(f"{cap} must be 0 or more")
    if re.fullmatch(r"\d*\.\d{3,}", text):
        raise ValueError(f"{cap} must not have more than 2 decimal places")
    if not PERCENT_RE.match(text):
        raise ValueError(f"{cap} must be a number, like 2.5")
    whole, _, frac = text.partition(".")
    bp = int(whole) * 100 + int((frac + "00")[:2])
    if bp == 0 and not allow_zero:
        raise ValueError(f"{cap} must be more than 0")
    if bp > maximum_bp:
        raise ValueError(f"{cap} must be {maximum_bp // 100} or less")
    return bp


def format_percentage(bp: int | None) -> str:
    """1250 → "12.5%", 200 → "2%"."""
    if bp is None:
        return ""
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole}.{frac:02d}".rstrip("0") + "%"
