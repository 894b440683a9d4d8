"""A map layer for the data sets whose values have no domain table of their own (a
department's monthly report per district): one time-enabled layer per domain over the view
ioc_department_reports, an element at a time, so these values land on the map too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from layers.models import AdminUnit, Submission
from layers.registry import LayerSpec, Style, TimeMap, layer_from_view
from operations.intake.spec import DataSet


def _sql_text(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def report_layers(datasets: tuple[DataSet, ...], *, domain: str, access: str = "internal",
                  roles: tuple[str, ...] = ()) -> tuple[LayerSpec, ...]:
    """The layer of the domain's monthly admin-unit data sets without sinks (none if it has none);
    internal, or as restricted as the domain's own layers (the police's reports)."""
    mapped = [ds for ds in datasets if ds.org_units.level and ds.period_type == "monthly"
              and not any(e.sink for e in ds.elements)]
    if not mapped:
        return ()
    elements = [(f"{ds.code}.{e.code}", e) for ds in mapped for e in ds.elements]
    values = ", ".join(f"({_sql_text(c)}, {_sql_text(e.name_vi)}, {_sql_text(e.name_en)}, {_sql_text(e.unit)}, "
                       "NULL::float, NULL::float, true)" for c, e in elements)
    codes = ", ".join(_sql_text(ds.code) for ds in mapped)
    title_vi = "; ".join(ds.title_vi for ds in mapped) + ", theo đơn vị (số liệu báo cáo)"
    title_en = "; ".join(ds.title_en for ds in mapped) + ", per unit (reported figures)"
    return (layer_from_view(
        id=f"{domain.replace('_', '-')}-department-reports", title_vi=title_vi, title_en=title_en, domain=domain,
        table="ioc_department_reports", geometry_type="MultiPolygon", time_field="period", title_field="unit_name",
        access=access, roles=roles, where=f"t.dataset IN ({codes})", joins_commune=False,
        choices={"element": tuple((c, e.name_vi) for c, e in elements), "status": Submission.Status.choices,
                 "level": AdminUnit.Level.choices},
        fields=(("element", "string", _("chỉ tiêu")), ("value", "number", _("giá trị")),
                ("period", "string", _("kỳ báo cáo"), "", "date"), ("status", "string", _("trạng thái")),
                ("unit_code", "string", _("mã đơn vị")), ("unit_name", "string", _("đơn vị")),
                ("level", "string", _("cấp"))),
        style=Style(color="#4a5568", fill="#a0aec0", weight=1),
        time_map=TimeMap(period="month", measures=("value",), dimension="element", level="level",
                         dimensions_sql=f"SELECT * FROM (VALUES {values}) v"),
    ),)
