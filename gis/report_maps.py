"""Static maps of % CHA released for the printed report (issue 11, §3): PNG, drawn with
geopandas and matplotlib from the same unit outlines and the same colour classes as the folium
province map (gis.maps.released_pct_colour), so the report and the site never disagree on a
unit's colour.

Framework-free like gis.maps: the app passes the outlines (GeoJSON in EPSG:4326, as
app.maps.layers.unit_outlines returns them), each unit's share, the labels in the reader's
language and the reader's number convention. Each map is a matplotlib ``Figure`` of its own,
printed to PNG by the Agg renderer (``savefig``), never through pyplot's global figures and
backend: a server thread draws no display, and a notebook importing this keeps its own backend.

A unit whose CHA is above 0 but under ``small_cha_ha`` is hatched, and the legend says why: its
percentage may come from a sliver of a CHA crossing its boundary (Kim Ngân: 2.3% of 1.11 ha), so
its colour alone would mislead. A unit without CHA is grey, as on the site.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from gis.maps import NO_CHA_COLOUR, is_small_cha, pct_legend_entries, released_pct_colour
from gis.numbers import ENGLISH, NumberConvention, format_number

# The hatching of a unit with little CHA, and its gid prefix (a test, or an SVG reader, finds a
# unit's drawing by it).
SMALL_CHA_HATCH = "////"
UNIT_GID_PREFIX = "unit-"
# Outlines come in lon/lat and are drawn in UTM zone 48N (EPSG:32648, Quảng Trị's zone), so that
# the shapes are not stretched east-west as plain degrees are at 17° N.
DRAWING_CRS = "EPSG:32648"
SOURCE_CRS = "EPSG:4326"


@dataclass(frozen=True)
class UnitShare:
    """What colours one unit: its CHA (hectares) and the % of it released (None: no CHA)."""

    cha_ha: float
    released_pct: float | None


@dataclass(frozen=True)
class ReleasedMapLabels:
    """The map's words, in the reader's language (the app translates them)."""

    title: str
    legend_heading: str = "% of CHA released"
    no_cha: str = "No CHA"
    # With {threshold}: the threshold in hectares, written in the reader's convention.
    small_cha_note: str = "Hatched: CHA under {threshold} ha; its percentage may come from a sliver"


def released_pct_figure(
    *,
    units: Mapping[str, Any],
    shares: Mapping[str, UnitShare],
    small_cha_ha: float,
    labels: ReleasedMapLabels,
    numbers: NumberConvention = ENGLISH,
    width_in: float = 6.0,
) -> Figure:
    """The choropleth of ``units`` (a GeoJSON FeatureCollection in EPSG:4326 whose features have
    a ``code`` property) coloured by ``shares[code]``; a unit missing from ``shares`` has no CHA.

    Each unit is one collection whose gid is ``unit-<code>``; units with 0 < cha_ha <
    ``small_cha_ha`` carry SMALL_CHA_HATCH, and the legend then adds the note (0 hatches none).
    """
    frame = gpd.GeoDataFrame.from_features(units["features"], crs=SOURCE_CRS).to_crs(DRAWING_CRS)
    figure = Figure(figsize=(width_in, width_in), dpi=150, layout="constrained")
    axes = figure.add_subplot()
    hatched_any = False
    for code, geometry in zip(frame["code"], frame.geometry, strict=True):
        share = shares.get(code, UnitShare(cha_ha=0.0, released_pct=None))
        hatched = is_small_cha(share.cha_ha, small_cha_ha=small_cha_ha)
        hatched_any = hatched_any or hatched
        drawn = gpd.GeoSeries([geometry], crs=DRAWING_CRS).plot(
            ax=axes,
            facecolor=released_pct_colour(share.released_pct),
            edgecolor="#444444",
            linewidth=0.4,
            hatch=SMALL_CHA_HATCH if hatched else None,
        )
        drawn.collections[-1].set_gid(f"{UNIT_GID_PREFIX}{code}")
    axes.set_axis_off()
    axes.set_aspect("equal")
    axes.set_title(labels.title, fontsize=10)
    handles = [
        Patch(facecolor=colour, edgecolor="#444444", label=label)
        for colour, label in pct_legend_entries(numbers)
    ]
    handles.append(Patch(facecolor=NO_CHA_COLOUR, edgecolor="#444444", label=labels.no_cha))
    if hatched_any:
        threshold = format_number(small_cha_ha, convention=numbers)
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#444444",
                hatch=SMALL_CHA_HATCH,
                label=labels.small_cha_note.format(threshold=threshold),
            )
        )
    # Under the map, in two columns: a long narrow province (2025) keeps its width.
    axes.legend(
        handles=handles,
        title=labels.legend_heading,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=2,
        fontsize=7,
        title_fontsize=8,
        frameon=False,
    )
    return figure


def figure_png(figure: Figure) -> bytes:
    """The figure as PNG bytes (for a data: URI in the page and the PDF, a picture in Word)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()
