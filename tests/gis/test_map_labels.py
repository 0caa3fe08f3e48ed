"""The maps' words come from the caller's MapLabels (the app passes translated ones)."""

import string
from dataclasses import fields

from gis.maps import ENGLISH, MapLabels
from tests.gis.test_maps import district_page, province_page


def marker(name: str, english: str) -> str:
    """``[name]`` followed by the English label's own fields: "[unit_link]{name}"."""
    return f"[{name}]" + "".join(
        "{" + field + "}"
        for _text, field, _spec, _conv in string.Formatter().parse(english)
        if field
    )


# Every label replaced by a marker naming it, so a word left hard-coded in English shows.
MARKED = MapLabels(
    **{
        f.name: {key: f"<{f.name}.{key}>" for key in getattr(ENGLISH, f.name)}
        if isinstance(getattr(ENGLISH, f.name), dict)
        else marker(f.name, getattr(ENGLISH, f.name))
        for f in fields(MapLabels)
    }
)


def test_the_coverage_map_shows_the_labels_it_is_given_and_none_of_the_english_ones():
    page = province_page(unit_url=lambda code: f"/maps/districts/{code}/", labels=MARKED)
    for marker in (
        "[coverage_title]2023",
        "[choropleth_layer]2023",
        "[pct_heading]",
        "[no_cha_recorded]",
        "[remaining_cha]",
        "[released_layer]",
        "[basemap_layer]",
        "[unit_link]Vĩnh Linh",
        "2023[no_target]",
        "[no_cha]",
        "[cleared_vs_target]812",
        "&lt;methods.cleared&gt;",
        "<tooltip.released_pct>",
    ):
        assert marker in page, marker
    for english in ("Remaining CHA", "% of CHA released", "Map of", "no target", "Released:"):
        assert english not in page, english


def test_the_small_cha_hatching_shows_the_labels_it_is_given():
    # Gio Linh's 900 ha of CHA are under 1,000 ha: hatched and noted.
    page = province_page(labels=MARKED, small_cha_ha=1_000)

    assert "[small_cha_note]1,000900.00" in page
    assert "[small_cha_legend]1,000" in page
    assert "Hatched" not in page and "rests on" not in page


def test_the_district_map_shows_the_labels_it_is_given():
    page = district_page(year=2023, labels=MARKED)
    for marker in (
        "[district_title]Vĩnh Linh2023",
        "[legend_heading]",
        "[villages_layer]",
        "[village]",
        "[survey]",
        "&lt;survey_legend.nts&gt;",
        "<survey_status.ts>",
    ):
        assert marker in page, marker
    assert "Village: " not in page and "Legend" not in page


def test_english_is_the_default():
    assert MapLabels() == ENGLISH
    assert ENGLISH.methods["cleared"] == "Released: cleared"
