from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Điều hành"

    def ready(self) -> None:
        # imported here, not at module level: the domain modules declare layers over models,
        # which Django loads only after every AppConfig exists
        from layers.domains import register_domain
        from layers.registry import register_layers
        from operations import alerts
        from operations.domains import DOMAINS

        for d in DOMAINS:
            register_domain(d.id, d.title_vi, d.title_en)
        register_domain(alerts.DOMAIN_ID, alerts.TITLE_VI, alerts.TITLE_EN)
        register_layers([spec for d in DOMAINS for spec in d.layers] + list(alerts.LAYERS))
