"""Which layer(s) of a staged dataset to read: the one asked for, or the only one with features."""

import warnings

import pyogrio
import pyogrio.errors

from gis.messages import Text
from gis.reading.errors import ReadError
from gis.reading.gdal_read import unreadable
from gis.reading.staging import Dataset

# GPX exposes every route and track a second time as its vertices; those are not features.
GPX_DERIVED_LAYERS = ("route_points", "track_points")


def choose_layers(
    dataset: Dataset, *, layer: str | None, notes: list[str], open_options: dict
) -> list[str | None]:
    """The layer(s) to read: the one asked for, the only one with features, or all KML folders
    (a KML folder is how Google Earth groups placemarks, not a separate dataset)."""
    if dataset.format in ("shapefile", "csv", "geojson"):
        return [None]
    try:
        with warnings.catch_warnings():
            # The same warnings come again, and are kept, when the layer itself is read.
            warnings.simplefilter("ignore")
            listed = pyogrio.list_layers(dataset.gdal_path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise unreadable(dataset, error) from error
    names = [str(name) for name, _geometry_type in listed]
    if layer is not None:
        if layer in names:
            return [layer]
        lowered = {name.lower(): name for name in names}
        if layer.lower() in lowered:
            return [lowered[layer.lower()]]
        raise ReadError(
            "unknown_layer",
            Text(
                "dataset_unknown_layer",
                name=dataset.shown_name,
                layer=repr(layer),
                names=", ".join(names),
            ),
            choices=tuple(names),
        )
    if dataset.format == "gpx":
        names = [name for name in names if name not in GPX_DERIVED_LAYERS]
    counts = {name: _feature_count(dataset, name, open_options) for name in names}
    with_features = [name for name in names if counts[name] != 0]
    if dataset.format == "kml" and len(with_features) > 1:
        notes.append(
            Text("kml_folders_together", count=len(with_features), folders=", ".join(with_features))
        )
        return with_features
    if len(with_features) == 1:
        if len(names) > 1:
            notes.append(Text("only_layer_with_features", layer=repr(with_features[0])))
        return with_features
    if not with_features:
        if len(names) == 1:
            return names
        raise ReadError("no_features", Text("no_layer_has_features", name=dataset.shown_name))
    described = ", ".join(f"{name} ({counts[name]} features)" for name in with_features)
    raise ReadError(
        "several_layers",
        Text(
            "dataset_several_layers",
            name=dataset.shown_name,
            count=len(with_features),
            described=described,
        ),
        choices=tuple(with_features),
    )


def _feature_count(dataset: Dataset, layer: str, open_options: dict) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(
                dataset.gdal_path, layer=layer, force_feature_count=True, **open_options
            )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise unreadable(dataset, error) from error
    return int(info["features"])
