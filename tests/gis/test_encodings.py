"""Legacy Vietnamese text (TCVN3, VNI, CP1258) comes out as the right Unicode.

Byte strings written by hand here come from the published tables, not from gis.encodings:
TCVN3 from the GNU C Library charmap TCVN5712-1 (and the example "B¶o Th¾ng" = "Bảo Thắng" that
Vietnamese converters show), VNI from GNU recode's VNI table (src/vn.c), CP1258 from
Microsoft's code page 1258 (combining tones at 0xCC, 0xD2, 0xDE, 0xEC, 0xF2).
"""

import unicodedata

import pytest

from gis.encodings import (
    confirm_declared_encoding,
    declared_shapefile_encoding,
    decode_text,
    detect_encoding,
    encode_text,
    is_vietnamese_syllable,
    shapefile_encoding,
)

PLACES = [
    "Quảng Trị",
    "Vĩnh Linh",
    "Hướng Hóa",
    "Đa Krông",
    "Gio Linh",
    "Cồn Tiên",
    "Dốc Miếu",
    "Thôn Bến Hải",
]
SENTENCE = "Khu vực ô nhiễm bom mìn, vật nổ sau chiến tranh ở xã Hướng Phùng, huyện Hướng Hóa"


def vietnamese_letters():
    """The 134 precomposed letters: a e i o u y with each of the six tones (five marks or none),
    the shaped vowels ă â ê ô ơ ư with each tone, đ; lower and upper case. Built from Unicode
    composition, independently of the tables under test."""
    bases = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    lowercase = {unicodedata.normalize("NFC", base + tone) for base in bases for tone in tones}
    lowercase -= set("aeiouy")
    lowercase.add("đ")
    return sorted(lowercase | {letter.upper() for letter in lowercase})


def test_there_are_134_precomposed_vietnamese_letters():
    letters = vietnamese_letters()
    assert len(letters) == 134
    assert all(len(letter) == 1 for letter in letters)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_every_vietnamese_letter_round_trips(encoding):
    letters = vietnamese_letters()
    for letter in letters:
        assert decode_text(encode_text(letter, encoding), encoding) == letter, letter


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_each_letter_has_its_own_bytes(encoding):
    encoded = [encode_text(letter, encoding) for letter in vietnamese_letters()]
    assert len(set(encoded)) == 134


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
@pytest.mark.parametrize("text", [*PLACES, SENTENCE])
def test_place_names_round_trip(encoding, text):
    assert decode_text(encode_text(text, encoding), encoding) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"Qu\xb6ng Tr\xde", "Quảng Trị"),
        (b"V\xdcnh Linh", "Vĩnh Linh"),
        (b"H\xad\xedng H\xe3a", "Hướng Hóa"),
        (b"\xa7a Kr\xabng", "Đa Krông"),
        (b"C\xe5n Ti\xaan", "Cồn Tiên"),
        (b"D\xe8c Mi\xd5u", "Dốc Miếu"),
        (b"Th\xabn B\xd5n H\xb6i", "Thôn Bến Hải"),
        (b"B\xb6o Th\xbeng", "Bảo Thắng"),
        (b"B\xb8t X\xb8t", "Bát Xát"),
        (b"M\xad\xeang Kh\xad\xacng", "Mường Khương"),
    ],
)
def test_tcvn3_bytes_from_the_published_table_decode(raw, expected):
    assert decode_text(raw, "tcvn3") == expected


def test_tcvn3_capitals_of_the_vn1_table_decode():
    # 0x81 Ả, 0x91 Ị, 0xA7 Đ, 0x01 Ú, 0x16 Ý in TCVN 5712:1993 VN1.
    assert decode_text(b"QU\x81NG TR\x91 \xa7\x01 \x16", "tcvn3") == "QUẢNG TRỊ ĐÚ Ý"


def test_tcvn3_combining_tone_bytes_are_joined_to_their_letter():
    # 0xB3 is the combining acute of VN1: "a" + acute is "á".
    assert decode_text(b"a\xb3", "tcvn3") == "á"


@pytest.mark.parametrize(
    ("latin1_text", "expected"),
    [
        ("Quaûng Trò", "Quảng Trị"),
        ("Vónh Linh", "Vĩnh Linh"),
        ("Höôùng Hoùa", "Hướng Hóa"),
        ("Ña Kroâng", "Đa Krông"),
        ("Coàn Tieân", "Cồn Tiên"),
        ("Doác Mieáu", "Dốc Miếu"),
        ("Thoân Beán Haûi", "Thôn Bến Hải"),
        ("QUAÛNG TRÒ", "QUẢNG TRỊ"),
    ],
)
def test_vni_bytes_from_the_published_table_decode(latin1_text, expected):
    assert decode_text(latin1_text.encode("latin-1"), "vni") == expected


# A sample of GNU recode's VNI table (src/vn.c): letter and its VNI bytes, as Latin-1 text.
RECODE_VNI_SAMPLE = {
    "Ẳ": "AÚ",
    "Ẵ": "AÜ",
    "Ẫ": "AÃ",
    "Ỷ": "YÛ",
    "Ỵ": "Î",
    "Ợ": "ÔÏ",
    "Ị": "Ò",
    "Ỉ": "Æ",
    "Ĩ": "Ó",
    "Ơ": "Ô",
    "Ô": "OÂ",
    "Ư": "Ö",
    "Ữ": "ÖÕ",
    "Đ": "Ñ",
    "ẳ": "aú",
    "ẵ": "aü",
    "ặ": "aë",
    "ậ": "aä",
    "ẩ": "aå",
    "ỵ": "î",
    "ị": "ò",
    "ỉ": "æ",
    "ĩ": "ó",
    "ơ": "ô",
    "ớ": "ôù",
    "ờ": "ôø",
    "ộ": "oä",
    "ữ": "öõ",
    "ự": "öï",
    "ý": "yù",
    "ỳ": "yø",
    "ỹ": "yõ",
    "đ": "ñ",
}


@pytest.mark.parametrize(("letter", "vni"), RECODE_VNI_SAMPLE.items())
def test_vni_matches_gnu_recode(letter, vni):
    assert encode_text(letter, "vni") == vni.encode("latin-1")
    assert decode_text(vni.encode("latin-1"), "vni") == letter


def test_vni_tolerates_a_lowercase_mark_after_a_capital():
    assert decode_text("Aù".encode("latin-1"), "vni") == "Á"


def test_cp1258_combining_tones_are_normalised_to_precomposed_letters():
    assert decode_text(b"Qua\xd2ng Tri\xf2", "cp1258") == "Quảng Trị"
    assert decode_text(b"Qua\xd2ng Tri\xf2", "cp1258") == unicodedata.normalize("NFC", "Quảng Trị")


@pytest.mark.parametrize("name", ["TCVN3", "tcvn", "TCVN-5712", "ABC", "VNI", "VNI-Windows"])
def test_legacy_encoding_names_are_recognised(name):
    assert decode_text(b"Gio Linh", name) == "Gio Linh"


def test_an_unknown_encoding_is_a_lookup_error():
    with pytest.raises(LookupError):
        decode_text(b"x", "klingon-8")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_undeclared_vietnamese_text_is_detected(encoding):
    samples = [encode_text(text, encoding) for text in [*PLACES, SENTENCE]]

    detected = detect_encoding(samples)

    assert detected.name == encoding
    assert detected.is_confident
    assert [decode_text(sample, detected.name) for sample in samples] == [*PLACES, SENTENCE]


def test_utf8_text_is_detected_as_utf8():
    detected = detect_encoding([text.encode("utf-8") for text in PLACES])
    assert detected.name == "utf-8"
    assert detected.confidence == 1.0


def test_western_text_is_not_mistaken_for_vietnamese():
    samples = [text.encode("cp1252") for text in ["EM OPERAÇÃO", "São Paulo", "Usina Açúcar"]]
    assert detect_encoding(samples).name == "cp1252"


def test_one_ambiguous_word_is_reported_as_a_guess():
    # "Cam Lộ" in VNI reads as a Vietnamese word in TCVN3 as well.
    detected = detect_encoding([encode_text("Cam Lộ", "vni")])
    assert not detected.is_confident
    assert "guess" in detected.how


@pytest.mark.parametrize(
    "word", ["Quảng", "Trị", "Hướng", "Miếu", "nghĩa", "khuya", "quyển", "giếng", "Đa", "Krông"]
)
def test_vietnamese_syllables_are_recognised(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["Quaûng", "Quaỷng", "QuaÒng", "Qu¶ng", "Straße", "ắá"])
def test_mis_decoded_words_are_not_vietnamese_syllables(word):
    assert not is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    ("cpg", "expected"),
    [
        ("UTF-8", "utf-8"),
        ("utf8\n", "utf-8"),
        ("65001", "utf-8"),
        ("1258", "cp1258"),
        ("CP1258", "cp1258"),
        ("ANSI 1258", "cp1258"),
        ("ANSI 1252", "cp1252"),
        ("windows-1258", "cp1258"),
        ("ISO-8859-1", "iso8859-1"),
        ("88591", "iso8859-1"),
        ("\ufeffUTF-8", "utf-8"),
        ("TCVN3", "tcvn3"),
    ],
)
def test_cpg_names_map_to_python_codecs(cpg, expected):
    assert shapefile_encoding(cpg, None, None) == expected


@pytest.mark.parametrize(
    "cpg",
    ["<!DOCTYPE html><html><body>Not found</body></html>", "", "SYSTEM", "not-a-codepage"],
    ids=["html", "empty", "system", "unknown"],
)
def test_an_unusable_cpg_gives_no_encoding_and_a_reason(cpg):
    declared = declared_shapefile_encoding(cpg, None, None)
    assert declared.name is None
    assert ".cpg file" in declared.how


def test_the_cst_is_read_when_there_is_no_cpg():
    assert shapefile_encoding(None, "windows-1258", None) == "cp1258"


def test_the_cpg_wins_over_the_language_byte():
    declared = declared_shapefile_encoding("UTF-8", None, 0x57)
    assert declared.name == "utf-8"
    assert ".cpg" in declared.how


def test_an_html_cpg_falls_through_to_the_language_byte():
    declared = declared_shapefile_encoding("<html></html>", None, 0x57)
    assert declared.name == "cp1252"
    assert "0x57" in declared.how


@pytest.mark.parametrize(
    ("ldid", "expected"),
    [(0x57, "cp1252"), (0x03, "cp1252"), (0x01, "cp437"), (0x4D, "cp936"), (0xC9, "cp1251")],
)
def test_dbf_language_bytes_map_to_code_pages(ldid, expected):
    assert shapefile_encoding(None, None, ldid) == expected


@pytest.mark.parametrize("ldid", [0x00, 0xFE, None])
def test_an_unset_or_unknown_language_byte_declares_nothing(ldid):
    assert shapefile_encoding(None, None, ldid) is None


def test_an_ansi_language_byte_on_vietnamese_cp1258_text_is_read_as_cp1258():
    declared = declared_shapefile_encoding(None, None, 0x57)
    samples = [encode_text(text, "cp1258") for text in PLACES]

    confirmed = confirm_declared_encoding(declared, samples)

    assert declared.only_ansi
    assert confirmed.name == "cp1258"
    assert "0x57" in confirmed.how and "Vietnamese" in confirmed.how


def test_an_ansi_language_byte_on_tcvn3_text_is_read_as_tcvn3():
    samples = [encode_text(text, "tcvn3") for text in PLACES]
    confirmed = confirm_declared_encoding(declared_shapefile_encoding(None, None, 0x57), samples)
    assert confirmed.name == "tcvn3"


def test_an_ansi_language_byte_on_western_text_stays_cp1252():
    samples = [text.encode("cp1252") for text in ["EM OPERAÇÃO", "São Paulo", "Usina Açúcar"]]
    confirmed = confirm_declared_encoding(declared_shapefile_encoding(None, None, 0x57), samples)
    assert confirmed.name == "cp1252"


def test_a_cpg_is_never_second_guessed():
    declared = declared_shapefile_encoding("ANSI 1252", None, None)
    samples = [encode_text(text, "cp1258") for text in PLACES]
    assert confirm_declared_encoding(declared, samples) == declared
