#!/usr/bin/env python
"""Django's command-line utility for IOC GIS."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_server.settings")
    # imported here, as Django's own manage.py does: DJANGO_SETTINGS_MODULE must be set first
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:  # a configuration problem: a sentence, not a traceback
        sys.exit(f"IOC GIS: {exc}")


if __name__ == "__main__":
    main()
