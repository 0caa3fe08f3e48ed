"""Shares and period targets, with the rules for a zero or missing denominator stated once."""


def percentage(part: float, whole: float | None) -> float | None:
    """part / whole × 100, or None when there is no whole (no target row, zero target, no CHA):
    a share of nothing is unknown, never 0 % or infinity."""
    if whole is None or whole == 0:
        return None
    return part / whole * 100


def period_target(targets) -> float | None:
    """The target of several years: the sum of theirs, only when every year has one (a partial
    sum would inflate the share of it achieved)."""
    targets = list(targets)
    return None if None in targets else sum(targets)
