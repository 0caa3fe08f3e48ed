import re

import pytest


@pytest.fixture
def readable():
    """Decode Folium's JSON escapes (\\u0129, \\") so a page reads as the browser shows it."""

    def decode(page: bytes | str) -> str:
        text = page.decode("utf-8") if isinstance(page, bytes) else page
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), text)
        return text.replace('\\"', '"')

    return decode
