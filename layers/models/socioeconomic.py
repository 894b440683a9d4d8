from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """The socio-economic indicator catalogue."""

    class Period(models.TextChoices):
        MONTHLY = "monthly", _("Hằng tháng")
        QUARTERLY = "quarterly", _("Hằng quý")
        YEARLY = "yearly", _("Hằng năm")

    code = models.CharField(max_length=40, unique=True)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    unit = models.CharField(max_length=40)
    domain = models.CharField(max_length=20, default="socioeconomic")
    department = models.CharField(_("cơ quan chủ trì"), max_length=120)
    period_type = models.CharField(max_length=10, choices=Period.choices, default=Period.MONTHLY)
    higher_is_better = models.BooleanField(default=True)
    warning = models.FloatField(help_text="amber at or beyond this value")
    critical = models.FloatField(help_text="red at or beyond this value")

    def __str__(self) -> str:
        return self.code

    def state(self, value: float | None) -> str:
        """green / amber / red for a value against the thresholds."""
        if value is None:
            return "grey"
        if self.higher_is_better:
            return "red" if value <= self.critical else "amber" if value <= self.warning else "green"
        return "red" if value >= self.critical else "amber" if value >= self.warning else "green"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey("layers.AdminUnit", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(help_text="first day of the period")
    value = models.FloatField()
    plan = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "period"], name="one_value_per_period")]
        indexes = [models.Index(fields=["period", "indicator"])]
