from django.core.management.base import BaseCommand

from operations.domains.traffic import derive_black_spots


class Command(BaseCommand):
    help = "Derive accident black spots from clusters of accidents in the last 12 months (DBSCAN 250 m, 5+)."

    def handle(self, *args, **opts):
        created, updated = derive_black_spots()
        self.stdout.write(f"black spots created: {created}, updated: {updated}")
