"""manage.py collect_map_assets: node_modules/ -> the static files every map links to."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from app.maps.assets import CHART_JS
from gis.maps import LOCAL_ASSETS

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"


def test_it_copies_every_file_a_map_or_the_dashboard_links_to(tmp_path):
    call_command("collect_map_assets", "--vendor-dir", str(tmp_path))

    for path in [*filter(None, LOCAL_ASSETS.values()), CHART_JS, f"{CHART_JS}.map"]:
        assert (tmp_path / path).is_file(), path
    # The stylesheets' relative url(...) targets come along: fonts and marker images.
    assert (tmp_path / "fontawesome-free/webfonts/fa-solid-900.woff2").is_file()
    assert (tmp_path / "leaflet/images/layers.png").is_file()
    assert (tmp_path / "leaflet.awesome-markers/images/markers-soft.png").is_file()


def test_without_npm_ci_it_says_what_to_run(tmp_path):
    with pytest.raises(CommandError, match=r"Run `npm ci` \(make assets\) first"):
        call_command(
            "collect_map_assets", "--node-modules", str(tmp_path), "--vendor-dir", str(tmp_path)
        )
