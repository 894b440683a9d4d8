from datetime import date

from django.core.management.base import BaseCommand, CommandError

from layers.models import ReportDelivery
from operations.reporting import ReportingError, send_pending


class Command(BaseCommand):
    help = ("Send socio-economic reports to the Government's reporting system (IOC_UPSTREAM_URL): the latest "
            "period, and every earlier one not yet delivered. Safe to run from cron.")

    def add_arguments(self, parser):
        parser.add_argument("--period", help="YYYY-MM (default: the latest period with values)")
        parser.add_argument("--url", help="override IOC_UPSTREAM_URL")

    def handle(self, *args, period, url, **opts):
        p = None
        if period:
            try:
                p = date.fromisoformat(f"{period}-01")
            except ValueError:
                raise CommandError("--period takes YYYY-MM") from None
        try:
            recs = send_pending(url=url, period=p)
        except ReportingError as exc:
            raise CommandError(str(exc)) from None
        for r in recs:
            self.stdout.write(f"{r.period:%m/%Y}: {r.status} after {r.attempts} attempt(s)")
        if any(r.status != ReportDelivery.Status.DELIVERED for r in recs):
            raise CommandError("some reports were not delivered; they are kept and will be retried")
