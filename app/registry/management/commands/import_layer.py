import json

from django.core.management.base import BaseCommand, CommandError

from app.registry.services.imports import ImportRefused, import_layer
from gis.attributes import LayerKind


class Command(BaseCommand):
    help = (
        "Import a GIS file (zipped shapefile, GeoPackage, GeoJSON, KML/KMZ, GPX, CSV) as hazard "
        "areas, releases, spot tasks or villages; prints a JSON report. All features are stored "
        "or none: any rejected feature or existing reference stores nothing and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=[k.value for k in LayerKind])
        parser.add_argument("--org", required=True, help="Organisation slug, e.g. npa.")
        parser.add_argument("--crs", help="Source CRS when the file has none, e.g. EPSG:32648.")
        parser.add_argument("--layer", help="Layer (or shapefile in a zip) to read.")
        parser.add_argument("--encoding", help="Attribute text encoding, e.g. cp1258.")
        parser.add_argument(
            "--map",
            dest="mapping_pairs",
            action="append",
            default=[],
            metavar="TARGET=SOURCE",
            help="Read field TARGET from column SOURCE, e.g. --map completed_on=ngay_xong.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")

    def handle(
        self, *args, file, kind, org, crs, layer, encoding, mapping_pairs, dry_run, **options
    ):
        mapping = {}
        for pair in mapping_pairs:
            target, sep, source = pair.partition("=")
            if not sep or not target.strip() or not source.strip():
                raise CommandError(f"--map {pair!r}: write it as TARGET=SOURCE")
            mapping[target.strip()] = source.strip()
        try:
            summary = import_layer(
                path=file,
                kind=kind,
                organisation_slug=org,
                crs=crs,
                layer=layer,
                encoding=encoding,
                mapping=mapping,
                dry_run=dry_run,
            )
        except ImportRefused as refused:
            report = {"file": file, "status": "refused", "code": refused.code}
            report["error"] = refused.message
            if refused.choices:
                report["choices"] = list(refused.choices)
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            raise CommandError(refused.message) from refused
        self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False, indent=2, default=str))
        if summary.rejected or summary.conflicts:
            problems = []
            if summary.rejected:
                problems.append(f"{len(summary.rejected)} feature(s) rejected")
            if summary.conflicts:
                problems.append(f"{len(summary.conflicts)} reference(s) already stored")
            raise CommandError(f"Nothing stored: {', '.join(problems)} (see the report above).")
