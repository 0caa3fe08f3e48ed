"""Write the province coverage map to an HTML file (the page /maps/coverage/ serves)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from app.maps import selectors
from app.maps.assets import vendor_asset_url
from app.registry.models import BoundarySet


class Command(BaseCommand):
    help = "Write the province map of CHA released by the end of a year to an HTML file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Year (default: the last year with data).")
        parser.add_argument("--out", type=Path, required=True, help="HTML file to write.")
        parser.add_argument(
            "--boundary-set",
            default=BoundarySet.LEGACY_2019,
            choices=BoundarySet.values,
            help="2019: coloured by district (default); 2025: by commune.",
        )
        parser.add_argument(
            "--asset-base-url",
            default=None,
            help=(
                "Where the page loads Leaflet & co. from (default: the app's static URL, "
                "/static/maps/vendor/, so open the file through the running app or copy "
                "app/maps/static/maps/vendor/ next to it and pass --asset-base-url vendor/)."
            ),
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=None,
            help="Language of the legend, tooltips and place names (default: the site's, vi).",
        )

    def handle(self, *args, language, **options):
        with translation.override(language or settings.LANGUAGE_CODE):
            self.render(**options)

    def render(self, *, year, out: Path, boundary_set, asset_base_url, **options):
        if year is None:
            year = selectors.latest_data_year()
        if not selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR:
            raise CommandError(
                f"--year must be between {selectors.FIRST_YEAR} and {selectors.LAST_YEAR}, "
                f"not {year}"
            )
        if not out.parent.is_dir():
            raise CommandError(f"--out: folder {out.parent} does not exist")
        page = selectors.coverage_map_html(
            year=year,
            boundary_set=boundary_set,
            asset_base_url=asset_base_url or vendor_asset_url,
            note=selectors.data_note(),
        )
        out.write_text(page, encoding="utf-8")
        size_kb = len(page.encode("utf-8")) / 1024
        self.stdout.write(f"Wrote {out} ({size_kb:,.0f} KB), year {year}, {boundary_set} units")
