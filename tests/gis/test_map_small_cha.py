"""A unit whose CHA is under the threshold (the app's MAP_SMALL_CHA_HA) is hatched on the
province map, its tooltip says on how little land its % rests, and the legend explains the
hatching (issue 11, §4: Kim Ngân shows 2.3% of 1.11 ha)."""

from dataclasses import replace

import folium
import pytest

from gis.maps import (
    ENGLISH,
    RELEASED_PCT_COLOURS,
    UnitCoverage,
    coverage_map,
    hatched_for_small_cha,
    map_html,
    small_cha_pattern_id,
)
from gis.numbers import VIETNAMESE
from tests.gis.test_maps import ASSETS, collection, feature, readable, square

UNITS = collection(
    [
        feature(square(106.7, 16.8), code="19165", name="Kim Ngân"),
        feature(square(106.8, 16.8), code="19999", name="Hướng Lập"),
    ]
)
# 2.3% of 1.11 ha, as Kim Ngân in the demo data; the other one has CHA over 5 ha.
SLIVER = UnitCoverage(
    code="19165",
    name="Kim Ngân",
    cha_ha=1.11,
    released_ha=0.0256,
    released_pct=2.3,
    cleared_in_year_ha=0.0,
    target_ha=None,
    pct_of_target=None,
)
SIX_HA = replace(SLIVER, code="19999", name="Hướng Lập", cha_ha=6.0, released_ha=0.138)
NOTE = "CHA under 5 ha: the percentage rests on 1.11 ha"
LEGEND = "Hatched: CHA under 5 ha (the percentage rests on little land)"


def province_map(**overrides) -> folium.Map:
    arguments = dict(
        units=UNITS,
        coverage=[SLIVER, SIX_HA],
        year=2023,
        asset_base_url=ASSETS,
        small_cha_ha=5,
    )
    return coverage_map(**(arguments | overrides))


def unit_properties(m: folium.Map) -> dict[str, dict]:
    """The choropleth's features' properties by unit code, as the page's GeoJSON carries them."""
    (choropleth,) = (
        child
        for child in m._children.values()
        if isinstance(child, folium.GeoJson) and "fill" in child.data["features"][0]["properties"]
    )
    return {f["properties"]["code"]: f["properties"] for f in choropleth.data["features"]}


@pytest.mark.parametrize(
    ("cha_ha", "released_pct", "small_cha_ha", "hatched"),
    [
        (1.11, 2.3, 5, True),
        (6.0, 2.3, 5, False),
        (4.999, 100.0, 5, True),
        # The threshold itself is not under it.
        (5.0, 50.0, 5, False),
        (1.11, 2.3, 0, False),
        # No CHA: grey "no CHA recorded", no % to hatch.
        (0.0, None, 5, False),
    ],
)
def test_a_unit_is_hatched_when_its_cha_is_under_the_threshold(
    cha_ha, released_pct, small_cha_ha, hatched
):
    row = replace(SLIVER, cha_ha=cha_ha, released_pct=released_pct)

    assert hatched_for_small_cha(row, small_cha_ha=small_cha_ha) is hatched


def test_a_unit_without_figures_is_not_hatched():
    assert hatched_for_small_cha(None, small_cha_ha=5) is False


def test_the_sliver_is_filled_with_its_class_colour_striped_and_the_other_unit_plainly():
    m = province_map()
    units = unit_properties(m)
    page = readable(map_html(m))

    # 2.3% is in the first class.
    pattern = small_cha_pattern_id(RELEASED_PCT_COLOURS[0])
    assert units["19165"]["fill"] == f"url(#{pattern})"
    assert units["19999"]["fill"] == RELEASED_PCT_COLOURS[0]
    assert page.count(f'<pattern id="{pattern}"') == 1
    assert f'<rect width="6" height="6" fill="{RELEASED_PCT_COLOURS[0]}"/>' in page


def test_the_slivers_tooltip_notes_the_threshold_and_its_hectares_to_two_decimals():
    units = unit_properties(province_map())

    assert units["19165"]["cha_ha"] == "1.11 ha"
    assert units["19165"]["released_ha"] == "0.03 ha"
    assert units["19165"]["released_pct"] == f"2.3%<br><em>{NOTE}</em>"
    assert units["19999"]["cha_ha"] == "6 ha"
    assert units["19999"]["released_ha"] == "0 ha"
    assert units["19999"]["released_pct"] == "2.3%"


def test_the_legend_explains_the_hatching():
    page = readable(map_html(province_map()))

    assert LEGEND in page
    assert "repeating-linear-gradient(45deg" in page


def test_with_a_threshold_of_zero_nothing_is_hatched_or_noted():
    m = province_map(small_cha_ha=0)
    units = unit_properties(m)
    page = readable(map_html(m))

    assert units["19165"]["fill"] == RELEASED_PCT_COLOURS[0]
    assert units["19165"]["released_pct"] == "2.3%"
    assert "url(#small-cha-" not in page
    assert "<pattern" not in page
    assert "Hatched:" not in page
    assert "rests on" not in page


def test_a_map_without_a_small_unit_has_no_hatching_in_its_legend():
    page = readable(map_html(province_map(coverage=[SIX_HA])))

    assert "<pattern" not in page
    assert "Hatched:" not in page


def test_units_of_one_class_share_one_pattern_and_each_class_has_its_own():
    third_class = replace(SLIVER, code="19999", name="Hướng Lập", released_pct=25.0)
    page = readable(map_html(province_map(coverage=[SLIVER, third_class])))
    same_class = replace(SLIVER, code="19999", name="Hướng Lập", cha_ha=3.0)
    shared = readable(map_html(province_map(coverage=[SLIVER, same_class])))

    for colour in (RELEASED_PCT_COLOURS[0], RELEASED_PCT_COLOURS[2]):
        assert page.count(f'<pattern id="{small_cha_pattern_id(colour)}"') == 1
    assert shared.count("<pattern ") == 1


def test_the_note_and_the_legend_are_written_in_the_readers_numbers():
    m = province_map(numbers=VIETNAMESE, small_cha_ha=2.5, coverage=[SLIVER])
    units = unit_properties(m)
    page = readable(map_html(m))

    assert units["19165"]["cha_ha"] == "1,11 ha"
    assert "CHA under 2,5 ha: the percentage rests on 1,11 ha" in units["19165"]["released_pct"]
    assert units["19165"]["released_pct"].startswith("2,3%")
    assert "Hatched: CHA under 2,5 ha" in page


def test_the_note_is_escaped_as_the_tooltip_is_html():
    labels = replace(ENGLISH, small_cha_note="<b>{cha}</b> under {threshold}")
    units = unit_properties(province_map(labels=labels))

    assert "&lt;b&gt;1.11&lt;/b&gt; under 5" in units["19165"]["released_pct"]
