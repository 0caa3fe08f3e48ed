"""Text encodings of field files: what a shapefile declares, what undeclared bytes most likely
are, and the two legacy Vietnamese encodings Python's codecs lack.

Older Vietnamese attribute tables are in **TCVN3** (TCVN 5712:1993, the ".Vn" fonts of the ABC
set, common in the north: one byte per letter) or **VNI** (VNI-Windows fonts, common in the south:
a Latin letter followed by a byte for its diacritic, "Quaûng Trò" for "Quảng Trị"), often with no
``.cpg``. Read as Latin-1 they become garbage silently, so the upload reader asks, in order: the
``.cpg``, the ``.cst``, the DBF language byte (:func:`declared_shapefile_encoding`), the encoding
the user gave, then :func:`detect_encoding`. :func:`decode_text` decodes any of them.

Callers: ``gis.reading`` (shapefile and CSV attributes), and tests that build legacy fixtures
with :func:`encode_text`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from gis.messages import Text

TCVN3, VNI, CP1258 = "tcvn3", "vni", "cp1258"
LEGACY_VIETNAMESE = (TCVN3, VNI)

# --- TCVN3 -----------------------------------------------------------------------------------
# Source: TCVN 5712:1993 "VN1" as published in the GNU C Library's charmap
# localedata/charmaps/TCVN5712-1 (also GNU recode's TCVN table and X.Org's tcvn.h agree).
# Its 0xA1-0xFF lowercase layout is the ABC/".Vn" font layout (VN3) that files call "TCVN3";
# VN1 adds the capitals that VN3 fonts lack at 0x01-0x17, 0x80-0x9F and a few high positions,
# which VN3 text never uses, so one table reads both. 0xB0-0xB4 are the combining tone marks
# (grave, hook, tilde, acute, dot below) for letters outside Vietnamese; the result is
# NFC-normalised. Limitation: VN3 writes capitals with lowercase codes in a capitals-only font
# (".VnTimeH"); those bytes can only be read back as lowercase.
TCVN3_C0_LETTERS = {
    0x01: "Ú",
    0x02: "Ụ",
    0x04: "Ừ",
    0x05: "Ử",
    0x06: "Ữ",
    0x11: "Ứ",
    0x12: "Ự",
    0x13: "Ỳ",
    0x14: "Ỷ",
    0x15: "Ỹ",
    0x16: "Ý",
    0x17: "Ỵ",
}
# Bytes 0x80-0xFF, eight per row.
TCVN3_HIGH_HALF = (
    "ÀẢÃÁẠẶẬÈ"  # 0x80
    "ẺẼÉẸỆÌỈĨ"  # 0x88
    "ÍỊÒỎÕÓỌỘ"  # 0x90
    "ỜỞỠỚỢÙỦŨ"  # 0x98
    "\u00a0ĂÂÊÔƠƯĐ"  # 0xA0
    "ăâêôơưđẰ"  # 0xA8
    "\u0300\u0309\u0303\u0301\u0323àảã"  # 0xB0
    "áạẲằẳẵắẴ"  # 0xB8
    "ẮẦẨẪẤỀặầ"  # 0xC0
    "ẩẫấậèỂẻẽ"  # 0xC8
    "éẹềểễếệì"  # 0xD0
    "ỉỄẾỒĩíịò"  # 0xD8
    "Ổỏõóọồổỗ"  # 0xE0
    "ốộờởỡớợù"  # 0xE8
    "Ỗủũúụừửữ"  # 0xF0
    "ứựỳỷỹýỵỐ"  # 0xF8
)


def _tcvn3_decoding_table() -> tuple[str, ...]:
    low_half = [TCVN3_C0_LETTERS.get(byte, chr(byte)) for byte in range(0x80)]
    return (*low_half, *TCVN3_HIGH_HALF)


TCVN3_DECODING = _tcvn3_decoding_table()
TCVN3_ENCODING = {
    letter: bytes([byte])
    for byte, letter in enumerate(TCVN3_DECODING)
    if byte >= 0x80 or byte in TCVN3_C0_LETTERS
}

# --- VNI -------------------------------------------------------------------------------------
# VNI-Windows (VNI Software): a vowel is its ASCII letter followed by one byte for its shape and
# tone; a few letters are one byte of their own. Written here as rules and checked letter by
# letter (tests/gis/test_encodings.py) against the VNI table of GNU recode (src/vn.c, F. Pinard,
# 1999), which lists all 134 letters. Byte values are lowercase; the capital form of every mark
# and letter byte is 0x20 lower (ù 0xF9 / Ù 0xD9), as in Latin-1.
VNI_TONE_BYTES = {"\u0301": 0xF9, "\u0300": 0xF8, "\u0309": 0xFB, "\u0303": 0xF5, "\u0323": 0xEF}
VNI_CIRCUMFLEX = 0xE2
VNI_CIRCUMFLEX_TONE_BYTES = {
    "\u0301": 0xE1,
    "\u0300": 0xE0,
    "\u0309": 0xE5,
    "\u0303": 0xE3,
    "\u0323": 0xE4,
}
VNI_BREVE = 0xEA
VNI_BREVE_TONE_BYTES = {
    "\u0301": 0xE9,
    "\u0300": 0xE8,
    "\u0309": 0xFA,
    "\u0303": 0xFC,
    "\u0323": 0xEB,
}
# Letters with a byte of their own: ơ ư đ, and i (every tone) and ỵ, which have no room for a
# second byte in the VNI fonts.
VNI_SINGLE_BYTE_LETTERS = {
    "ơ": 0xF4,
    "ư": 0xF6,
    "đ": 0xF1,
    "í": 0xED,
    "ì": 0xEC,
    "ỉ": 0xE6,
    "ĩ": 0xF3,
    "ị": 0xF2,
    "ỵ": 0xEE,
}
CAPITAL_OFFSET = 0x20


def _vni_lowercase_table() -> dict[str, bytes]:
    table = {letter: bytes([byte]) for letter, byte in VNI_SINGLE_BYTE_LETTERS.items()}
    for base in "aeouy":
        for tone, byte in VNI_TONE_BYTES.items():
            letter = unicodedata.normalize("NFC", base + tone)
            table.setdefault(letter, base.encode("ascii") + bytes([byte]))
    for horned in "ơư":
        for tone, byte in VNI_TONE_BYTES.items():
            table[unicodedata.normalize("NFC", horned + tone)] = table[horned] + bytes([byte])
    for base in "aeo":
        circumflexed = unicodedata.normalize("NFC", base + "\u0302")
        table[circumflexed] = base.encode() + bytes([VNI_CIRCUMFLEX])
        for tone, byte in VNI_CIRCUMFLEX_TONE_BYTES.items():
            letter = unicodedata.normalize("NFC", base + "\u0302" + tone)
            table[letter] = base.encode() + bytes([byte])
    table["ă"] = b"a" + bytes([VNI_BREVE])
    for tone, byte in VNI_BREVE_TONE_BYTES.items():
        table[unicodedata.normalize("NFC", "a\u0306" + tone)] = b"a" + bytes([byte])
    return table


def _capital(vni: bytes) -> bytes:
    return bytes(byte - CAPITAL_OFFSET if byte >= 0xE0 else byte for byte in vni.upper())


def _vni_decoding_table(encoding: dict[str, bytes]) -> dict[bytes, str]:
    """The inverse of ``encoding``, also accepting a lowercase mark after a capital and the
    reverse ("Aù" for "Á"), which hand-typed data mixes; the base letter's case decides."""
    decoding = {}
    for letter, vni in encoding.items():
        decoding[vni] = letter
        if len(vni) == 2:
            mark = vni[1]
            other_case = mark + CAPITAL_OFFSET if mark < 0xE0 else mark - CAPITAL_OFFSET
            decoding.setdefault(bytes([vni[0], other_case]), letter)
    return decoding


VNI_ENCODING = {
    **_vni_lowercase_table(),
    **{letter.upper(): _capital(vni) for letter, vni in _vni_lowercase_table().items()},
}
VNI_DECODING = _vni_decoding_table(VNI_ENCODING)

# --- Vietnamese syllables, for detection -----------------------------------------------------
# A syllable: optional initial consonant, a vowel nucleus (with its glides), optional final, at
# most one tone mark. Written from the standard description of Vietnamese orthography; loose on
# purpose (it accepts some non-words), strict enough that mis-decoded bytes fail.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# "kr" is not Kinh but is in place names of the highlands (Đa Krông, Krông Pắc).
INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|kr|[bcdđghklmnprstvx]"
# Nuclei that end in a glide take no final consonant (hai, miếu); ă, â and the diphthongs iê/yê,
# uô, ươ need one (ăn, tiên, muốn, hướng); the rest may have one or not.
OPEN_NUCLEI = (
    "iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uyu|uya|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu"
)
CLOSED_NUCLEI = "uyê|iê|yê|uô|ươ|oă|uâ|ă|â"
EITHER_NUCLEI = "oa|oe|uê|uơ|uy|oo|[aeêioôơuưy]"
FINALS = "ch|ng|nh|[cmnpt]"
SYLLABLE = re.compile(
    rf"^(?:{INITIALS})?"
    rf"(?:(?:{OPEN_NUCLEI})|(?:{CLOSED_NUCLEI})(?:{FINALS})|(?:{EITHER_NUCLEI})(?:{FINALS})?)$"
)
WORD_SEPARATORS = re.compile(r"[\s\d!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]+")

# Detection candidates for text that is not UTF-8. cp1252 stands for "some Western text"; it
# only wins when no Vietnamese encoding reads the words as Vietnamese.
DETECTION_CANDIDATES = (TCVN3, VNI, CP1258, "cp1252")
WESTERN_SCORE_FACTOR = 0.9
# Below this share of Vietnamese-looking words the detection is a guess, and says so.
CONFIDENT_SHARE = 0.8


@dataclass(frozen=True)
class DetectedEncoding:
    """The encoding undeclared text most likely is. ``confidence`` is the share (0–1) of
    accented words that read as Vietnamese syllables (or as Western words for cp1252) under it;
    ``how`` says so in a sentence for the upload report."""

    name: str
    how: str
    confidence: float

    @property
    def is_confident(self) -> bool:
        return self.confidence >= CONFIDENT_SHARE


@dataclass(frozen=True)
class DeclaredEncoding:
    """What a shapefile's sidecars say about its text: a Python codec name (or ``tcvn3`` /
    ``vni``), or ``None`` with the reason nothing usable was declared.

    ``only_ansi`` marks a DBF language byte that says just "Windows ANSI" (0x03, 0x57, 0x58):
    that is the code page of the machine that wrote the file, cp1258 on a Vietnamese Windows,
    so :func:`confirm_declared_encoding` checks it against the text."""

    name: str | None
    how: str
    only_ansi: bool = False


def decode_text(raw: bytes, encoding: str) -> str:
    """``raw`` decoded as ``encoding``, NFC-normalised.

    ``encoding`` is ``tcvn3`` (aliases ``tcvn``, ``tcvn5712``, ``abc``), ``vni`` (``vni-windows``)
    or any Python codec; ``cp1258`` text writes tones as combining marks, which NFC joins into
    the precomposed letters the rest of the system compares. Raises ``LookupError`` for an
    unknown encoding and ``UnicodeDecodeError`` for bytes invalid in a Python codec (TCVN3 and
    VNI decode every byte).
    """
    name = normalise_encoding_name(encoding)
    if name == TCVN3:
        text = "".join(TCVN3_DECODING[byte] for byte in raw)
    elif name == VNI:
        text = _decode_vni(raw)
    else:
        text = raw.decode(name)
    return unicodedata.normalize("NFC", text)


def encode_text(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding`` (``tcvn3``, ``vni``, ``cp1258`` or a Python codec), for tests and
    fixtures. cp1258 is written as Windows writes it: base letter plus combining tone mark where
    no precomposed letter exists. Raises ``UnicodeEncodeError`` for a character the encoding
    cannot hold."""
    name = normalise_encoding_name(encoding)
    text = unicodedata.normalize("NFC", text)
    if name == TCVN3:
        return b"".join(_encode_char(char, TCVN3_ENCODING, text) for char in text)
    if name == VNI:
        return b"".join(_encode_char(char, VNI_ENCODING, text) for char in text)
    if name == CP1258:
        return b"".join(_encode_cp1258_char(char) for char in text)
    return text.encode(name)


def normalise_encoding_name(encoding: str) -> str:
    """``tcvn3``, ``vni`` or the canonical Python codec name; ``LookupError`` if unknown."""
    key = re.sub(r"[\s_\-.]", "", encoding.strip().lower())
    if key in ("tcvn3", "tcvn", "tcvn5712", "tcvn57121", "tcvn57121993", "abc", "vn3"):
        return TCVN3
    if key in ("vni", "vniwin", "vniwindows"):
        return VNI
    return codecs.lookup(encoding.strip()).name


def detect_encoding(samples: Iterable[bytes]) -> DetectedEncoding:
    """The most likely encoding of undeclared text values (a few hundred is plenty).

    UTF-8 when every sample is valid UTF-8 (plain ASCII included). Otherwise each of TCVN3, VNI,
    CP1258 and cp1252 decodes the samples, and the one under which the largest share of
    accented words are Vietnamese syllables wins; cp1252 (standing for Western text) is scored
    by words made only of letters, discounted by ``WESTERN_SCORE_FACTOR`` so that a Vietnamese
    reading wins a tie. ``is_confident`` on the result tells a reading from a guess.
    """
    samples = [sample for sample in samples if sample]
    if all(_is_utf8(sample) for sample in samples):
        if all(sample.isascii() for sample in samples):
            return DetectedEncoding("utf-8", Text("encoding_ascii"), 1.0)
        return DetectedEncoding("utf-8", Text("encoding_all_utf8"), 1.0)
    scores = {name: _score(samples, name) for name in DETECTION_CANDIDATES}
    ranked = sorted(DETECTION_CANDIDATES, key=lambda name: -scores[name][0])
    best, runner_up = ranked[0], ranked[1]
    share, good, total = scores[best]
    others = ", ".join(f"{_label(name)} {scores[name][0]:.0%}" for name in ranked[1:])
    kind = Text("western_words" if best == "cp1252" else "vietnamese_syllables")
    how = Text(
        "encoding_read_as",
        label=_label(best),
        good=good,
        total=total,
        kind=kind,
        others=others,
    )
    if scores[runner_up][0] == share:
        # Too few accented words to tell the two apart: a coin toss, not a detection.
        share /= 2
        how = Text("encoding_tie", how=how, best=_label(best), runner_up=_label(runner_up))
    if share < CONFIDENT_SHARE:
        how = Text("encoding_guess", how=how)
    return DetectedEncoding(best, how, share)


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable (case-insensitive)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [char for char in decomposed if char in TONE_MARKS]
    if len(tones) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return bool(SYLLABLE.match(toneless))


def declared_shapefile_encoding(
    cpg_text: str | None, cst_text: str | None, ldid_byte: int | None
) -> DeclaredEncoding:
    """The encoding a shapefile declares: the ``.cpg`` text, then the ``.cst`` text (same
    vocabulary), then the DBF header's language driver byte (offset 29). A sidecar that is not
    an encoding name (an HTML page, garbage, "SYSTEM") is passed over with a reason."""
    reasons = []
    for suffix, text in ((".cpg", cpg_text), (".cst", cst_text)):
        if text is None:
            continue
        name, reason = _codec_from_code_page_text(text)
        if name:
            return DeclaredEncoding(
                name, Text("encoding_in_sidecar", suffix=suffix, text=repr(text.strip()))
            )
        reasons.append(f"the {suffix} file {reason}")
    if ldid_byte:
        codec = DBF_LANGUAGE_DRIVER_CODECS.get(ldid_byte)
        if codec:
            return DeclaredEncoding(
                codec,
                Text(
                    "encoding_language_byte",
                    byte=f"0x{ldid_byte:02X}",
                    note=DBF_LANGUAGE_DRIVER_NOTES.get(ldid_byte, codec),
                ),
                only_ansi=ldid_byte in ANSI_LANGUAGE_DRIVERS,
            )
        reasons.append(f"the DBF language driver byte 0x{ldid_byte:02X} is not a known one")
    elif ldid_byte == 0:
        reasons.append("the DBF language driver byte is 0 (not set)")
    return DeclaredEncoding(None, "; ".join(reasons) or "the shapefile declares no encoding")


def confirm_declared_encoding(
    declared: DeclaredEncoding, samples: Iterable[bytes]
) -> DeclaredEncoding:
    """``declared``, unless it is only "Windows ANSI" and the text confidently reads as
    Vietnamese in another encoding (CP1258 from a Vietnamese Windows, or TCVN3/VNI typed with
    the legacy fonts): then that encoding, saying why. A .cpg or a specific code page is never
    second-guessed."""
    if not declared.only_ansi:
        return declared
    detected = detect_encoding(samples)
    if detected.is_confident and detected.name in (CP1258, *LEGACY_VIETNAMESE):
        return DeclaredEncoding(
            detected.name,
            Text("encoding_ansi_is_vietnamese", declared=declared.how, detected=detected.how),
        )
    return declared


def shapefile_encoding(
    cpg_text: str | None, cst_text: str | None, ldid_byte: int | None
) -> str | None:
    """The codec name of :func:`declared_shapefile_encoding`, or None when nothing usable is
    declared (the reason is in ``declared_shapefile_encoding(...).how``)."""
    return declared_shapefile_encoding(cpg_text, cst_text, ldid_byte).name


# DBF language driver IDs (header byte 29) to Python codecs. Source: the dBASE IV / Visual
# FoxPro language driver table as ESRI documents it for shapefiles ("ArcGIS: code page of a
# shapefile", the LDID list also in GDAL's shapefile driver and the xBase format
# descriptions). 0x57 is "ANSI": the Windows code page of the machine that wrote the file,
# which ArcGIS writes for any ANSI page; on a Vietnamese Windows that is cp1258, so the reader
# still checks that the text decodes sensibly. Vietnamese pages have no LDID of their own.
DBF_LANGUAGE_DRIVER_CODECS = {
    0x01: "cp437",
    0x02: "cp850",
    0x03: "cp1252",
    0x04: "mac-roman",
    0x08: "cp865",
    0x09: "cp437",
    0x0A: "cp850",
    0x0B: "cp437",
    0x0D: "cp437",
    0x0E: "cp850",
    0x0F: "cp437",
    0x10: "cp850",
    0x11: "cp437",
    0x12: "cp850",
    0x13: "cp932",
    0x14: "cp850",
    0x15: "cp437",
    0x16: "cp850",
    0x17: "cp865",
    0x18: "cp437",
    0x19: "cp437",
    0x1A: "cp850",
    0x1B: "cp437",
    0x1C: "cp863",
    0x1D: "cp850",
    0x1F: "cp852",
    0x22: "cp852",
    0x23: "cp852",
    0x24: "cp860",
    0x25: "cp850",
    0x26: "cp866",
    0x37: "cp850",
    0x40: "cp852",
    0x4D: "cp936",
    0x4E: "cp949",
    0x4F: "cp950",
    0x50: "cp874",
    0x57: "cp1252",
    0x58: "cp1252",
    0x59: "cp1252",
    0x64: "cp852",
    0x65: "cp866",
    0x66: "cp865",
    0x67: "cp861",
    0x6A: "cp737",
    0x6B: "cp857",
    0x78: "cp950",
    0x79: "cp949",
    0x7A: "cp936",
    0x7B: "cp932",
    0x7C: "cp874",
    0x86: "cp737",
    0x87: "cp852",
    0x88: "cp857",
    0x96: "mac-cyrillic",
    0x97: "mac-latin2",
    0x98: "mac-greek",
    0xC8: "cp1250",
    0xC9: "cp1251",
    0xCA: "cp1254",
    0xCB: "cp1253",
    0xCC: "cp1257",
}
ANSI_LANGUAGE_DRIVERS = frozenset({0x03, 0x57, 0x58})
DBF_LANGUAGE_DRIVER_NOTES = {
    0x03: "Windows ANSI, cp1252",
    0x57: "ANSI, read as cp1252",
    0x58: "Western European ANSI, cp1252",
}

# .cpg/.cst spellings seen in the wild that Python's codec registry does not know.
CODE_PAGE_ALIASES = {
    "65001": "utf-8",
    "utf8": "utf-8",
    "88591": "iso8859-1",
    "ansi": None,
    "oem": None,
    "system": None,
}


def _codec_from_code_page_text(text: str) -> tuple[str | None, str]:
    """A codec for a .cpg/.cst value ('UTF-8', '65001', 'ANSI 1258', '1252', 'CP1258',
    'ISO-8859-1', 'windows-1258', 'TCVN3' ...), or None and why not."""
    value = text.strip().lstrip("\ufeff").strip()
    if not value:
        return None, "is empty"
    if "<" in value or len(value) > 40 or "\n" in value:
        return None, "does not hold an encoding name (it looks like a web page or other text)"
    key = re.sub(r"[\s_\-]", "", value.lower())
    if key in CODE_PAGE_ALIASES:
        codec = CODE_PAGE_ALIASES[key]
        if codec is None:
            return None, f"says {value!r}, which names no particular code page"
        return codec, ""
    digits = re.fullmatch(r"(?:ansi|cp|windows|win|oem|ibm|codepage)?(\d{3,5})", key)
    candidates = [f"cp{digits.group(1)}"] if digits else []
    iso = re.fullmatch(r"(?:iso)?8859(\d{1,2})", key)
    if iso:
        candidates.insert(0, f"iso8859-{iso.group(1)}")
    candidates.append(value)
    for candidate in candidates:
        try:
            return normalise_encoding_name(candidate), ""
        except LookupError:
            continue
    return None, f"names an unknown encoding ({value!r})"


def _decode_vni(raw: bytes) -> str:
    out = []
    position = 0
    while position < len(raw):
        pair = raw[position : position + 2]
        if len(pair) == 2 and pair in VNI_DECODING:
            out.append(VNI_DECODING[pair])
            position += 2
            continue
        single = raw[position : position + 1]
        if single in VNI_DECODING:
            out.append(VNI_DECODING[single])
        else:
            # Outside the letters, VNI fonts keep the Windows Western layout.
            out.append(single.decode("cp1252", errors="replace"))
        position += 1
    return "".join(out)


def _encode_char(char: str, table: dict[str, bytes], text: str) -> bytes:
    if char in table:
        return table[char]
    if char.isascii():
        return char.encode("ascii")
    raise UnicodeEncodeError("vietnamese", text, text.index(char), text.index(char) + 1, "no byte")


def _encode_cp1258_char(char: str) -> bytes:
    try:
        return char.encode("cp1258")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        return (base + tones).encode("cp1258")


def _is_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _score(samples: list[bytes], encoding: str) -> tuple[float, int, int]:
    """(share, good, total) of accented words that read well under ``encoding``."""
    good = total = 0
    for sample in samples:
        try:
            text = decode_text(sample, encoding)
        except UnicodeDecodeError:
            return 0.0, 0, 0
        for word in WORD_SEPARATORS.split(text):
            if not word or word.isascii():
                continue
            total += 1
            if encoding == "cp1252":
                good += _is_western_word(word)
            else:
                good += is_vietnamese_syllable(word)
    if total == 0:
        return 0.0, 0, 0
    share = good / total
    if encoding == "cp1252":
        share *= WESTERN_SCORE_FACTOR
    return share, good, total


def _is_western_word(word: str) -> bool:
    """Letters only, and no plain vowel followed by an accented one: Western spelling rarely has
    that pair ("Noël" is an exception), while VNI and CP1258 read as cp1252 have it in every
    accented syllable ("Quaûng", "QuaÒng")."""
    if not word.isalpha():
        return False
    return not any(
        first.lower() in "aeiouy" and not second.isascii() and _is_vowel(second)
        for first, second in zip(word, word[1:], strict=False)
    )


def _is_vowel(char: str) -> bool:
    return unicodedata.normalize("NFD", char.lower())[0] in "aeiouy"


def _label(name: str) -> str:
    return {TCVN3: "TCVN3", VNI: "VNI", CP1258: "CP1258", "cp1252": "Western (cp1252)"}.get(
        name, name
    )
