"""The report's static maps (gis.report_maps): the folium map's colour classes, and a unit whose
CHA is under the threshold hatched, with the legend saying why."""

import pytest
from matplotlib.colors import to_hex
from shapely.geometry import box, mapping

from gis.maps import NO_CHA_COLOUR, is_small_cha, released_pct_colour
from gis.numbers import VIETNAMESE
from gis.report_maps import (
    SMALL_CHA_HATCH,
    ReleasedMapLabels,
    UnitShare,
    figure_png,
    released_pct_figure,
)

# Three communes side by side near Đông Hà, in lon/lat.
UNITS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": mapping(box(107.0 + 0.1 * i, 16.7, 107.1 + 0.1 * i, 16.8)),
            "properties": {"code": code, "name": code},
        }
        for i, code in enumerate(["large", "sliver", "none"])
    ],
}
SHARES = {
    "large": UnitShare(cha_ha=850.0, released_pct=61.5),
    # Kim Ngân's case: a sliver of a CHA crossing the 2025 boundary.
    "sliver": UnitShare(cha_ha=1.11, released_pct=2.3),
}
LABELS = ReleasedMapLabels(title="% released")


def drawn(figure, code):
    (collection,) = [c for c in figure.axes[0].collections if c.get_gid() == f"unit-{code}"]
    return collection


def legend_texts(figure) -> list[str]:
    return [text.get_text() for text in figure.axes[0].get_legend().get_texts()]


def test_a_unit_with_cha_under_the_threshold_is_hatched_and_the_legend_says_why():
    figure = released_pct_figure(units=UNITS, shares=SHARES, small_cha_ha=5, labels=LABELS)

    assert drawn(figure, "sliver").get_hatch() == SMALL_CHA_HATCH
    assert drawn(figure, "large").get_hatch() is None
    assert drawn(figure, "none").get_hatch() is None
    assert "Hatched: CHA under 5 ha; its percentage may come from a sliver" in legend_texts(figure)


def test_units_have_the_colour_classes_of_the_folium_map():
    figure = released_pct_figure(units=UNITS, shares=SHARES, small_cha_ha=5, labels=LABELS)

    assert to_hex(drawn(figure, "large").get_facecolor()[0]) == released_pct_colour(61.5)
    assert to_hex(drawn(figure, "sliver").get_facecolor()[0]) == released_pct_colour(2.3)
    assert to_hex(drawn(figure, "none").get_facecolor()[0]) == NO_CHA_COLOUR


def test_a_threshold_of_0_hatches_no_unit_and_adds_no_note():
    figure = released_pct_figure(units=UNITS, shares=SHARES, small_cha_ha=0, labels=LABELS)

    assert drawn(figure, "sliver").get_hatch() is None
    assert not any(text.startswith("Hatched") for text in legend_texts(figure))


def test_the_legend_writes_figures_in_the_readers_convention():
    figure = released_pct_figure(
        units=UNITS, shares=SHARES, small_cha_ha=5000, labels=LABELS, numbers=VIETNAMESE
    )

    assert "0–10%" in legend_texts(figure)
    assert any("CHA under 5.000 ha" in text for text in legend_texts(figure))
    assert figure_png(figure).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("cha_ha", "small"), [(0.0, False), (1.11, True), (4.99, True), (5.0, False), (900.0, False)]
)
def test_small_cha_is_above_0_and_under_the_threshold(cha_ha, small):
    assert is_small_cha(cha_ha, small_cha_ha=5) is small
