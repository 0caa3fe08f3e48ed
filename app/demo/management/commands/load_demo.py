from django.core.management.base import BaseCommand, CommandError

from app.demo.generator import DEFAULT_SEED
from app.demo.services import DemoLoadError, demo_data_present, load_demo


class Command(BaseCommand):
    help = (
        "Load the seeded SYNTHETIC demo data set (replaces earlier SYN- rows): "
        "load_demo [--seed N] [--scale N] [--if-empty]. See data/demo/README.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="N times the features of every kind, each 1/N the size (benchmark scale-up)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if demo data is already loaded"
        )

    def handle(self, *args, seed, scale, if_empty, **options):
        if scale < 1:
            raise CommandError(f"--scale must be a whole number >= 1; got {scale}")
        if if_empty and demo_data_present():
            self.stdout.write("Demo data already loaded; nothing to do (--if-empty).")
            return
        try:
            summary = load_demo(seed=seed, scale=scale)
        except DemoLoadError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Loaded the SYNTHETIC demo data set (seed {summary.seed}, scale {summary.scale}) "
            f"in {summary.generate_seconds:.1f} s generating + {summary.write_seconds:.1f} s "
            "writing:\n"
            f"  {summary.chas:,} CHAs ({summary.cha_ha:,.0f} ha), "
            f"{summary.shas:,} SHAs ({summary.sha_ha:,.0f} ha)\n"
            f"  {summary.releases:,} releases, {summary.spot_tasks:,} spot tasks "
            f"({summary.items_destroyed:,} items), {summary.villages:,} villages, "
            f"{summary.targets:,} targets"
        )
