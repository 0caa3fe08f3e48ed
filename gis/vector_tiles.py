"""Map layers drawn from Mapbox Vector Tiles by Leaflet.VectorGrid (Folium's VectorGridProtobuf).

The app serves the tiles (/tiles/<layer>/{z}/{x}/{y}.mvt, built by ST_AsMVT); a map carries only
their URL, so its HTML stays small however many polygons the registry holds. VectorGrid draws
each tile as SVG in a pane of its own above the choropleth (a grid layer otherwise sits in
Leaflet's tile pane, under every overlay).

Framework-free like gis.maps: the caller gives the URLs and the words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
from folium.plugins import VectorGridProtobuf
from folium.template import Template

# Above the choropleth (Leaflet's overlay pane, 400), under markers (600) and popups. The pane
# lets the pointer through (the choropleth's tooltips and links below); VectorGrid gives the
# paths of an interactive layer (the records) pointer events of their own.
PANE = "vector-tiles"
PANE_Z_INDEX = 450


@dataclass(frozen=True)
class VectorTiles:
    """One layer's tiles: ``url`` with ``{z}``, ``{x}`` and ``{y}`` left for Leaflet, and the
    zooms the server answers (beyond ``max_zoom`` the last tiles are drawn larger)."""

    url: str
    min_zoom: int
    max_zoom: int


class _VectorGrid(VectorGridProtobuf):
    """VectorGridProtobuf with its options written as JavaScript (style functions) and, for the
    record layers, a popup listing the clicked feature's properties, written as text (never as
    HTML: a reference or a note is the user's)."""

    _template = Template(
        """
        {% macro script(this, kwargs) -%}
        var {{ this.get_name() }} = L.vectorGrid.protobuf(
            {{ this.url|tojson }}, {{ this.options_js }});
        {%- if this.popup_fields %}
        {{ this.get_name() }}.on("click", function (event) {
            var properties = event.layer.properties, table = document.createElement("table");
            {{ this.popup_fields }}.forEach(function (field) {
                var value = properties[field[0]];
                if (value === undefined || value === null || value === "") { return; }
                var row = table.insertRow();
                row.insertCell().textContent = field[1];
                row.insertCell().textContent = String(value);
            });
            L.popup().setLatLng(event.latlng).setContent(table)
                .openOn({{ this._parent.get_name() }});
        });
        {%- endif %}
        {%- endmacro %}
        """
    )

    def __init__(self, url: str, name: str, options_js: str, popup_fields: str, show: bool):
        super().__init__(url, name=name, show=show)
        self.options_js = options_js
        self.popup_fields = popup_fields


def _script_json(value) -> str:
    """JSON that cannot end the <script> it is written in."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def add_pane(m: folium.Map) -> None:
    folium.map.CustomPane(PANE, z_index=PANE_Z_INDEX, pointer_events=False).add_to(m)


def add_vector_tile_layer(
    m: folium.Map,
    tiles: VectorTiles,
    *,
    source_layer: str,
    name: str,
    show: bool,
    style: Mapping[str, object] | None = None,
    colour_by: tuple[str, Mapping[str, str]] | None = None,
    popup_fields: Sequence[tuple[str, str]] = (),
) -> None:
    """Draw the layer ``source_layer`` of ``tiles``, toggled as ``name`` in the layer control.

    ``style`` is Leaflet's path options for every feature; ``colour_by`` (property, colour of
    each value) colours fill and outline by a property (released land by method).
    ``popup_fields`` (property, label) makes the features clickable, with those rows."""
    base = dict(style or {})
    if colour_by is None:
        style_js = _script_json(base)
    else:
        prop, colours = colour_by
        style_js = (
            f"function (properties) {{ var colour = {_script_json(dict(colours))}"
            f"[properties[{_script_json(prop)}]] || '#777777'; "
            f"return Object.assign({_script_json(base)}, "
            "{fillColor: colour, color: colour}); }"
        )
    options_js = (
        "{"
        f"rendererFactory: L.svg.tile, pane: {_script_json(PANE)}, "
        f"interactive: {'true' if popup_fields else 'false'}, "
        f"minZoom: {tiles.min_zoom}, maxNativeZoom: {tiles.max_zoom}, "
        f"vectorTileLayerStyles: {{{_script_json(source_layer)}: {style_js}}}"
        "}"
    )
    _VectorGrid(
        tiles.url,
        name=name,
        options_js=options_js,
        popup_fields=_script_json([list(field) for field in popup_fields]) if popup_fields else "",
        show=show,
    ).add_to(m)
