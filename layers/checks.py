"""`manage.py check` reports bad layer declarations."""

from django.core import checks

from layers import registry


@checks.register("layers")
def check_layer_registry(app_configs, **kwargs):
    try:
        problems = registry.validate(registry.static_layers())
    except Exception as exc:  # a declaration that cannot even be built
        problems = [str(exc)]
    return [checks.Error(p, id="layers.E001") for p in problems]
