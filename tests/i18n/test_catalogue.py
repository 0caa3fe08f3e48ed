"""Every string of the Vietnamese catalogue is translated, and keeps the placeholders of its
English, so no page or message falls back to English or breaks when it is filled."""

import re
import subprocess

import pytest

from tests.i18n.conftest import PO

# %(name)s / %(name)r / %s (Python), {name} (str.format; {{ }} are literal braces).
PERCENT = re.compile(r"%(?:\((\w+)\))?[sdrf]")
BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")


def entries() -> list[dict]:
    """The catalogue's entries: msgctxt, msgid, msgid_plural, msgstr (list), flags."""
    found, entry, field = [], None, None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and entry.get("msgid"):
                found.append(entry)
            entry, field = None, None
            continue
        entry = entry or {"flags": set(), "msgstr": []}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
            field, text = match.groups()
            if field.startswith("msgstr"):
                entry["msgstr"].append(text)
            else:
                entry[field] = text
        else:
            text = re.match(r'^"(.*)"$', line).group(1)
            if field.startswith("msgstr"):
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
    return found


ENTRIES = entries()


def placeholders(text: str) -> tuple[list, list]:
    return sorted(PERCENT.findall(text)), sorted(BRACES.findall(text))


def test_the_catalogue_has_the_strings_of_the_site():
    assert len(ENTRIES) > 300
    ids = {entry["msgid"] for entry in ENTRIES}
    assert "Remaining CHA" in ids and "Upload %(upload_id)s" in ids


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [e["msgid"] for e in ENTRIES if not all(e["msgstr"]) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in ENTRIES if "fuzzy" in e["flags"]]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


@pytest.mark.parametrize(
    "entry", ENTRIES, ids=[(e.get("msgctxt", "") + e["msgid"])[:60] for e in ENTRIES]
)
def test_the_translation_keeps_the_placeholders_of_the_english(entry):
    english = placeholders(entry["msgid"])
    for translation in entry["msgstr"]:
        assert placeholders(translation) == english, (entry["msgid"], translation)


def test_gettext_accepts_the_catalogue_as_it_is():
    # msgfmt --check: the header, plural forms and each python-format / brace-format string.
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
