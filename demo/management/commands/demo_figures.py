from django.core.management.base import BaseCommand, CommandError

from demo.figures import MONTHLY, demo_monthly_figures


class Command(BaseCommand):
    help = "Print the demo's monthly figures per domain, province-wide (magnitudes and seasons at a glance)."

    def add_arguments(self, parser):
        parser.add_argument("domains", nargs="*", help=f"some of: {', '.join(MONTHLY)} (default: all)")
        parser.add_argument("--months", type=int, default=25, help="latest months shown (default 25)")

    def handle(self, *args, domains, months, **opts):
        unknown = set(domains) - set(MONTHLY)
        if unknown:
            raise CommandError(f"unknown domain(s): {', '.join(sorted(unknown))}")
        for domain in domains or MONTHLY:
            columns, rows = demo_monthly_figures(domain=domain)
            self.stdout.write(f"\n{domain}: month | {' | '.join(columns)}")
            for month, *values in rows[-months:]:
                self.stdout.write(f"  {month:%m/%Y} | " + " | ".join(f"{v:,}" if v is not None else "–" for v in values))
