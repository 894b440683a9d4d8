"""Numbers in the page's language for templates: {{ value|num }} → 217.931, {{ share|pct }} → 92,8 %."""

from django import template

from operations.dashboard import number_text, quantity_text

register = template.Library()


@register.filter
def num(value) -> str:
    return number_text(value)


@register.filter
def pct(value) -> str:
    return "–" if value is None or value == "" else quantity_text(value, "%")[0]
