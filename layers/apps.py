from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Lớp dữ liệu"

    def ready(self) -> None:
        # imported here, not at module level: Django loads AppConfigs before models exist
        from layers import catalog, checks  # noqa: F401  (checks registers the system check)
        from layers.registry import register_layers

        register_layers(catalog.CORE_LAYERS)  # a bad declaration stops start-up
