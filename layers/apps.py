from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Lớp dữ liệu"

    def ready(self) -> None:
        from layers import checks, registry  # noqa: F401  (registers the system check)

        registry.validate_static()  # a bad declaration stops start-up
