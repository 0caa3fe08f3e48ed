"""``{% load numbers %}``: figures on the pages in the reader's convention.

``{{ report.total_ha|number:2 }}`` writes 1.234,56 on a Vietnamese page and 1,234.56 on an
English one; ``{{ row.released_pct|percent }}`` writes 61,5% / 61.5%. Both go through
gis.numbers.format_number, the function the maps and the report sentences use, so a page never
mixes conventions. Django's own ``floatformat`` and ``{{ a_float }}`` are not used for figures
(tests/i18n/test_numbers.py greps the templates for them): they group thousands only where the
locale sets NUMBER_GROUPING and write whole numbers ungrouped.
"""

from django import template

from app.accounts.language import number_convention
from gis.numbers import format_number

register = template.Library()


@register.filter
def number(value, decimals=0):
    """``value`` to ``decimals`` places (0 by default), thousands grouped; "" for None, and a
    value that is not a number as it is."""
    figure = _as_float(value)
    if figure is None:
        return "" if value is None else value
    return format_number(figure, decimals=int(decimals), convention=number_convention())


@register.filter
def percent(value, decimals=1):
    """``value`` (already a percentage, 61.5 for 61.5%) to ``decimals`` places (1 by default)
    with "%" after it; "" for None."""
    written = number(value, decimals)
    return f"{written}%" if _as_float(value) is not None else written


def _as_float(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
