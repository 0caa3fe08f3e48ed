"""``{% load sort_values %}``: the raw value a sortable table sorts a cell by.

``<td data-sort="{{ row|sort_value:'cleared_ha' }}">`` writes the unrounded number in Python's
own notation (``6593.567743957815``), which dashboard/table_sort.js reads with ``Number()``;
the cell's text, for the reader, goes through ``|number`` or ``|percent``. A missing value (no
target) is written empty and sorts last.
"""

from django import template

register = template.Library()


@register.filter
def sort_value(row, field: str) -> str:
    value = getattr(row, field)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return str(value)


@register.filter
def signed(written: str) -> str:
    """A change already written by ``|number`` (``{{ change|number:2|signed }}``) with "+"
    before it when it is above zero: "+1.234,56", "-12", and "0,00" for a change that rounds to
    nothing, whatever float noise its sign carried."""
    text = str(written)
    if not text or text.startswith("-") or not any(digit in "123456789" for digit in text):
        return text
    return f"+{text}"
