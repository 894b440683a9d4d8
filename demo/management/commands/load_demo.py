from django.core.management.base import BaseCommand, CommandError

from demo.common import SEED
from demo.loader import load_demo
from layers.models import AdminUnit


class Command(BaseCommand):
    help = "Load the deterministic Bình Phước demo (admin units, schools, health, tourism, traffic, parcels)."

    def add_arguments(self, parser):
        parser.add_argument("--parcels", type=int, default=50_000,
                            help="number of land parcels (default 50,000; 1,000,000+ for benchmarks)")
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the demo is already loaded")

    def handle(self, *args, parcels, seed, if_empty, **opts):
        if parcels < 0:
            raise CommandError("--parcels must be zero or more")
        if if_empty and AdminUnit.objects.exists():
            self.stdout.write("Demo data already loaded (use `manage.py load_demo` to reload).")
            return
        self.stdout.write(f"Generating the Bình Phước demo (seed {seed}, {parcels:,} parcels)...")
        try:
            counts = load_demo(parcels=parcels, seed=seed,
                               progress=lambda n: self.stdout.write(f"  {n:,} parcels", ending="\r"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for layer, n in counts.items():
            self.stdout.write(f"  {layer}: {n:,}")
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
