"""Template context: the province (name in the page's language, bounds, base maps) for every page."""

from django.conf import settings
from django.utils.translation import get_language


def page_language() -> str:
    """'en' or 'vi' (the default), for choosing a name or title in data."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def province(request) -> dict:
    """The province and its base maps, for every page's #province data block."""
    return {"province": {**settings.IOC_PROVINCE.as_dict(page_language()),
                         "basemaps": [b.as_dict() for b in settings.IOC_BASEMAPS]}}
