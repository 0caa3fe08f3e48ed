"""Reading the dashboard's HTML as a reader does: a card's figure, target and change, a table's
rows (tests/dashboard)."""

import html
import re


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def card(page: str, *, cards: str, key: str) -> dict[str, str]:
    """The texts of the card ``key`` among the ``cards`` ("year" or "period")."""
    section = page.split(f'data-cards="{cards}"', 1)[1].split("</section>", 1)[0]
    block = section.split(f'data-indicator="{key}"', 1)[1].split("data-indicator=", 1)[0]
    found = {}
    for part in ("figure", "target", "change"):
        match = re.search(rf"<p[^>]*data-{part}>(.*?)</p>", block, re.S)
        found[part] = _text(match.group(1)) if match else None
    return found


def table_rows(page: str, table: str) -> dict[str, list[str]]:
    """The rows of the table ``table`` ("units" or "organisations") by their data-unit or
    data-organisation code: each cell's text."""
    body = page.split(f'data-table="{table}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for code, row in re.findall(r'<tr data-(?:unit|organisation)="([^"]+)">(.*?)</tr>', body, re.S):
        rows[code] = [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def unit_links(page: str) -> list[str]:
    body = page.split('data-table="units"', 1)[1].split("</table>", 1)[0]
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', body)]
