"""Checks of KML and GPX content that GDAL would otherwise read wrongly without a word:
KML remote links and image overlays, GPX coordinates that are not numbers.
"""

import re
from contextlib import contextmanager
from pathlib import Path

import pyogrio

from gis.messages import Text
from gis.reading.errors import ReadError


@contextmanager
def without_ground_overlays():
    """GDAL's LIBKML driver turns a GroundOverlay (a scanned map's footprint) into a polygon
    feature; an image is not survey data, so it is switched off while a file is read."""
    option = "LIBKML_READ_GROUND_OVERLAY"
    before = pyogrio.get_gdal_config_option(option)
    pyogrio.set_gdal_config_options({option: "NO"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({option: before})


def check_kml(path: Path) -> list[str]:
    """Refuse KML that holds only links or images; remote links are never fetched."""
    text = path.read_bytes()
    placemarks = text.count(b"<Placemark")
    links = text.count(b"<NetworkLink")
    overlays = sum(text.count(tag) for tag in (b"<GroundOverlay", b"<PhotoOverlay"))
    if placemarks == 0 and links:
        raise ReadError(
            "remote_link",
            Text("remote_link"),
        )
    if placemarks == 0 and overlays:
        raise ReadError(
            "image_overlay",
            Text("image_overlay"),
        )
    notes = []
    if links:
        notes.append(f"{links} network link(s) to remote files were not fetched.")
    if overlays:
        notes.append(f"{overlays} image overlay(s) were ignored.")
    return notes


GPX_COORDINATE = re.compile(rb"""\b(lat|lon)\s*=\s*["']([^"']*)["']""")


def check_gpx_coordinates(path: Path) -> None:
    """GDAL reads a GPX lat or lon that is not a number (``lat="undefined"``, written by some
    phone apps after a lost fix) as 0, placing the point at 0°N 0°E without a word."""
    bad = [
        value.decode("utf-8", errors="replace")
        for _name, value in GPX_COORDINATE.findall(path.read_bytes())
        if not re.fullmatch(rb"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", value)
    ]
    if bad:
        examples = ", ".join(repr(value) for value in dict.fromkeys(bad[:20]))
        raise ReadError(
            "coordinates_invalid",
            f"{len(bad)} latitude/longitude value(s) in the GPX file are not numbers "
            f"({examples}); GPS points without a position cannot be placed. Export the track "
            "again once the device has a fix.",
        )
