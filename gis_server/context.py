"""Template context: the province's name in the page's language, for titles and headers."""

from django.conf import settings
from django.utils.translation import get_language


def page_language() -> str:
    """'en' or 'vi' (the default), for choosing a name or title in data."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def province(request) -> dict:
    return {"province": settings.IOC_PROVINCE.as_dict(page_language())}
