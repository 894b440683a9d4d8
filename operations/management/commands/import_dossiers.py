from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.intake.dossiers import DossierFeedInvalid, dossiers_import


class Command(BaseCommand):
    help = (
        "Import the public-service portal's dossier export (CSV or JSON), by dossier code: new dossiers "
        "are added, changed ones updated, the same file again changes nothing. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=["csv", "json"],
            help="default: from the file's extension, else from its first character",
        )

    def handle(self, *args, **o):
        try:
            result = dossiers_import(path_or_file=o["file"], format=o["format"])
        except DossierFeedInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Import failed, nothing was written: {exc.summary} ({o['file'].name})") from None
        self.stdout.write(result.line())
