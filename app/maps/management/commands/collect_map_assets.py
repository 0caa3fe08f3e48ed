"""Copy the front-end files from node_modules/ (npm ci) into the app's static files: the maps'
and the dashboard's charting library (Chart.js).

`make assets` runs it after `npm ci`. The copies are gitignored: package-lock.json pins what
is served, and the pages then load nothing from a CDN (gis.maps.LOCAL_ASSETS names each file
of a map, app.maps.assets.CHART_JS the dashboard's).
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from app.maps.assets import CHART_JS
from gis.maps import LOCAL_ASSETS

VENDOR_DIR = Path(__file__).resolve().parents[2] / "static" / "maps" / "vendor"

# (file or folder under node_modules/, destination under vendor/). Folders are the images and
# fonts the stylesheets load by relative url(...). The source maps are there because the files
# name them (sourceMappingURL): collectstatic's manifest storage (DEBUG=0) rewrites every such
# reference to a hashed name and refuses a file whose reference leads nowhere.
COPIES: list[tuple[str, str]] = [
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.js.map", "leaflet/leaflet.js.map"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images", "leaflet/images"),
    ("leaflet/LICENSE", "leaflet/LICENSE"),
    ("jquery/dist/jquery.min.js", "jquery/jquery.min.js"),
    ("jquery/LICENSE.txt", "jquery/LICENSE.txt"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/js/bootstrap.bundle.min.js.map"),
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/css/bootstrap.min.css.map"),
    ("bootstrap/LICENSE", "bootstrap/LICENSE"),
    ("@fortawesome/fontawesome-free/css/all.min.css", "fontawesome-free/css/all.min.css"),
    ("@fortawesome/fontawesome-free/webfonts", "fontawesome-free/webfonts"),
    ("@fortawesome/fontawesome-free/LICENSE.txt", "fontawesome-free/LICENSE.txt"),
    (
        "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
        "leaflet.awesome-markers/leaflet.awesome-markers.js",
    ),
    (
        "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
        "leaflet.awesome-markers/leaflet.awesome-markers.css",
    ),
    ("leaflet.awesome-markers/dist/images", "leaflet.awesome-markers/images"),
    ("leaflet.awesome-markers/LICENSE", "leaflet.awesome-markers/LICENSE"),
    # Pbf and vector-tile bundled in; its minified file names no source map.
    (
        "leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js",
        "leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js",
    ),
    ("leaflet.vectorgrid/package.json", "leaflet.vectorgrid/package.json"),
    # The dashboard's charts (app.dashboard); the map is named by the file (sourceMappingURL).
    ("chart.js/dist/chart.umd.js", CHART_JS),
    ("chart.js/dist/chart.umd.js.map", f"{CHART_JS}.map"),
    ("chart.js/LICENSE.md", "chart.js/LICENSE.md"),
]


class Command(BaseCommand):
    help = (
        "Copy Leaflet, Leaflet.VectorGrid, jQuery, Bootstrap, Font Awesome, awesome-markers "
        "and Chart.js into static files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--node-modules",
            type=Path,
            default=Path(settings.BASE_DIR) / "node_modules",
            help="Where `npm ci` installed package.json (default: ./node_modules).",
        )
        parser.add_argument(
            "--vendor-dir",
            type=Path,
            default=VENDOR_DIR,
            help="Where to copy them (default: app/maps/static/maps/vendor/, served as "
            "/static/maps/vendor/).",
        )

    def handle(self, *args, node_modules: Path, vendor_dir: Path, **options):
        missing = [source for source, _ in COPIES if not (node_modules / source).exists()]
        if missing:
            raise CommandError(
                f"{len(missing)} file(s) missing under {node_modules}: {', '.join(missing)}. "
                "Run `npm ci` (make assets) first."
            )
        for source, destination in COPIES:
            target = vendor_dir / destination
            target.parent.mkdir(parents=True, exist_ok=True)
            if (node_modules / source).is_dir():
                shutil.copytree(node_modules / source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(node_modules / source, target)
        # Every file a page links to must now exist, or the page would break offline.
        linked = [*LOCAL_ASSETS.values(), CHART_JS]
        unserved = [p for p in linked if p and not (vendor_dir / p).is_file()]
        if unserved:
            raise CommandError(f"collect_map_assets copies no file for: {', '.join(unserved)}")
        self.stdout.write(f"Copied {len(COPIES)} front-end assets into {vendor_dir}")
