from django.core.management.base import BaseCommand

from operations.alerts import alerts_evaluate as evaluate


class Command(BaseCommand):
    help = "Evaluate the alert rules: open new alerts, close those whose cause is gone (idempotent; cron-friendly)."

    def handle(self, *args, **opts):
        out = evaluate()
        self.stdout.write(f"alerts opened: {out.opened}, updated: {out.updated}, closed: {out.closed}, "
                          f"held: {out.held}, released: {out.released}")
