import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from app.uploads.models import OnConflict, Upload, UploadKind, UploadStatus
from app.uploads.services import (
    UploadRefused,
    UploadStateConflict,
    check_upload,
    commit_upload,
    create_upload,
    parse_mapping,
)

CHUNK_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import a GIS file (zipped shapefile, GeoPackage, GeoJSON, KML/KMZ, GPX, CSV) as hazard "
        "areas, releases, spot tasks or villages, through the same upload checks as the API; "
        "prints the JSON report. By default all features are stored or none: any rejected "
        "feature, or any reference already stored, stores nothing and exits 1. --accept-partial "
        "stores the accepted features; --on-conflict skips or replaces stored references."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=UploadKind.values)
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
        parser.add_argument(
            "--default",
            dest="default_pairs",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="A value for field FIELD where the file has none (the API's defaults), e.g. "
            "--default completed_on=2024-05-01 --default reference=NPA-{n} ({n}: the feature "
            "number).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")
        parser.add_argument(
            "--on-conflict",
            choices=OnConflict.values,
            help="For references already stored: skip the feature or replace the record.",
        )
        parser.add_argument(
            "--accept-partial",
            action="store_true",
            help="Store the accepted features even when others are rejected.",
        )

    def handle(self, *args, file, kind, org, mapping_pairs, default_pairs, dry_run, **options):
        mapping = {}
        for pair in mapping_pairs:
            target, sep, source = pair.partition("=")
            if not sep or not target.strip() or not source.strip():
                raise CommandError(f"--map {pair!r}: write it as TARGET=SOURCE")
            mapping[target.strip()] = source.strip()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            defaults = self._defaults(default_pairs)
            with path.open("rb") as source:
                upload = create_upload(
                    organisation_slug=org,
                    kind=kind,
                    filename=path.name,
                    chunks=iter(lambda: source.read(CHUNK_BYTES), b""),
                    size_bytes=path.stat().st_size,
                    crs=options["crs"],
                    layer=options["layer"],
                    encoding=options["encoding"],
                    mapping=mapping,
                    defaults=defaults,
                    on_conflict=options["on_conflict"] or OnConflict.SKIP,
                    all_or_nothing=not options["accept_partial"],
                    refuse_conflicts=options["on_conflict"] is None,
                    checked_here=True,
                )
        except UploadRefused as refused:
            self._refuse(file, refused.code, refused.message, parameter=refused.parameter)
        if upload.status == UploadStatus.CHECKING:
            upload = check_upload(upload_id=upload.pk)
        report = {"upload": upload.pk, **upload.report}
        if upload.status != UploadStatus.READY:
            self._rejected(upload, report)
        if dry_run:
            self._write({**report, "status": "checked", "dry_run": True})
            return
        try:
            upload = commit_upload(upload_id=upload.pk)
        except UploadStateConflict as conflict:
            self._refuse(file, conflict.code, conflict.message)
        if upload.status != UploadStatus.COMMITTED:
            # Another upload committed the same file after this one was checked.
            self._rejected(upload, {"upload": upload.pk, **upload.report})
        self._write({"upload": upload.pk, **upload.report, "status": "stored"})

    def _defaults(self, pairs: list[str]) -> dict[str, str]:
        """One FIELD=VALUE per --default, split at the first "=" only, so that a value may hold
        commas and "=" (which the API's one-string form cannot); then the API's own check."""
        defaults = {}
        for pair in pairs:
            field, sep, value = pair.partition("=")
            if not sep or not field.strip():
                raise UploadRefused(
                    "defaults",
                    gettext("%(pair)r: write each pair as target=source") % {"pair": pair},
                )
            defaults[field.strip()] = value
        return parse_mapping(defaults, parameter="defaults")

    def _rejected(self, upload: Upload, report: dict) -> None:
        if "code" in report:
            # The file could not be read at all, or repeats a committed one.
            report = {**report, "status": "refused"}
        else:
            report = {**report, "status": "rejected"}
        self._write(report)
        raise CommandError(f"Nothing stored: {upload.error} (see the report above).")

    def _refuse(self, file: str, code: str, message: str, **extra) -> None:
        self._write({"file": file, "status": "refused", "code": code, "error": message, **extra})
        raise CommandError(message)

    def _write(self, report: dict) -> None:
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
