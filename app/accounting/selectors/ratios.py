"""Shares, with the rule for a zero or missing denominator stated once."""


def percentage(part: float, whole: float | None) -> float | None:
    """part / whole × 100, or None when there is no whole (no target row, zero target, no CHA):
    a share of nothing is unknown, never 0 % or infinity."""
    if whole is None or whole == 0:
        return None
    return part / whole * 100
