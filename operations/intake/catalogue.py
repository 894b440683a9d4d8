"""The data sets every domain declares, by code (checked once, at import)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from gis_server.errors import NotFound
from operations.domains import DOMAINS
from operations.intake.spec import DataSet


def _collect() -> dict[str, DataSet]:
    found: dict[str, DataSet] = {}
    for domain in DOMAINS:
        for ds in domain.datasets:
            if ds.code in found:
                raise ImproperlyConfigured(f"data set {ds.code!r} is declared twice")
            found[ds.code] = ds if ds.domain else _with_domain(ds, domain.id)
    return found


def _with_domain(ds: DataSet, domain: str) -> DataSet:
    from dataclasses import replace

    return replace(ds, domain=domain)


DATASETS: dict[str, DataSet] = _collect()


def all_datasets() -> list[DataSet]:
    return list(DATASETS.values())


def get_dataset(code: str) -> DataSet:
    """The data set, or NotFound naming the code."""
    ds = DATASETS.get(code)
    if ds is None:
        raise NotFound(_("Không có bộ dữ liệu “%(code)s”.") % {"code": code})
    return ds


def datasets_of_department(code: str) -> list[DataSet]:
    return [ds for ds in DATASETS.values() if ds.department == code]


def layers_fed() -> set[str]:
    """Layers whose data arrives through a data set (the supply board counts the data set)."""
    return {layer for ds in DATASETS.values() for layer in ds.layers}
