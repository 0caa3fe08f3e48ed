"""Numbers written for a reader: the one function that puts a figure into text, here and in the app.

Vietnamese groups thousands with a dot and writes decimals after a comma (1.234,56 ha, 61,5%);
English the other way round (1,234.56 ha, 61.5%). A page that mixes them (8,758 ha beside
10,95 ha) makes a reader misread a figure by a factor of a thousand, so every sentence, tooltip,
legend and table cell a person reads goes through ``format_number`` with the reader's
``NumberConvention``. gis never imports Django: the app passes the convention of the active
language in (app.accounts.language.number_convention); the default is English. The API's JSON and
the stored English of a report keep plain numbers and the English convention.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NumberConvention:
    """How a reader writes a number: the decimal mark and the thousands separator."""

    decimal_separator: str = "."
    group_separator: str = ","


ENGLISH = NumberConvention(decimal_separator=".", group_separator=",")
VIETNAMESE = NumberConvention(decimal_separator=",", group_separator=".")


def format_number(
    value: float,
    *,
    decimals: int = 0,
    convention: NumberConvention = ENGLISH,
) -> str:
    """``value`` rounded to ``decimals`` places, thousands grouped by three, in ``convention``.

    ``format_number(48898.4321, decimals=2, convention=VIETNAMESE)`` is ``"48.898,43"``. A
    value that rounds to zero is written without a minus sign ("0.0", not "-0.0"). A percentage
    is this with "%" right after it, in both languages ("61,5%"). Codes and years (EPSG:9212,
    2023, upload 1042) are not figures and are never written through it.
    """
    written = f"{value:,.{decimals}f}"
    if written.startswith("-") and not written.strip("-0.,"):
        written = written[1:]
    # Through a placeholder, so swapping "," and "." cannot collide.
    return (
        written.replace(",", "\0")
        .replace(".", convention.decimal_separator)
        .replace("\0", convention.group_separator)
    )
