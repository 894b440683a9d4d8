"""Our pygeoapi feature provider for registry layers: a thin adapter over `layers.query`
(filtering, paging, sorting and GeoJSON serialisation happen in PostGIS)."""

from __future__ import annotations

from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
    ProviderQueryError,
)

from layers import registry
from layers.query import Filters, LayerQuery, Page, QueryError, Sort
from ogc.cql import cql_to_sql


class PostGISLayerProvider(BaseProvider):
    """pygeoapi provider for a layer of our registry (`data` is the layer id)."""

    def __init__(self, provider_def, *, primary: bool = False):
        super().__init__(provider_def)
        spec = registry.get_layer(self.data)
        if spec is None:
            raise ProviderQueryError(f"unknown layer {self.data!r}")
        self.spec = spec
        # reads may go to a replica unless primary; rows may follow the audience's access
        self.layer = LayerQuery(spec, primary=primary, audience=frozenset(provider_def.get("audience", ())))
        self.id_field = spec.id_field
        self.time_field = spec.time_field
        self.title_field = spec.title_field
        self._fields = {f.name: f.schema() for f in spec.fields}

    def get_fields(self):
        return self._fields

    def query(self, offset=0, limit=10, resulttype="results", bbox=[], datetime_=None, properties=[],
              sortby=[], select_properties=[], skip_geometry=False, q=None, filterq=None, **kwargs):
        extra = ()
        if filterq is not None:
            fields = {f.name: f for f in self.spec.fields}
            sql, params = cql_to_sql(filterq, fields, geometry_sql=f't."{self.spec.geometry_field}"')
            extra = ((sql, tuple(params)),)
        filters = Filters(bbox=tuple(bbox or ()), datetime=datetime_, properties=tuple(properties or ()), q=q,
                          extra=extra)
        page = Page(offset=int(offset), limit=int(limit), skip_geometry=skip_geometry,
                    properties=tuple(select_properties or ()),
                    sortby=tuple(Sort(sb["property"], sb["order"] == "-") for sb in sortby or ()))
        try:
            return self.layer.feature_collection(filters, page, hits_only=resulttype == "hits")
        except QueryError as exc:
            raise ProviderInvalidQueryError(user_msg=exc.description) from None

    def get(self, identifier, **kwargs):
        feature = self.layer.feature(identifier)
        if feature is None:
            raise ProviderItemNotFoundError(user_msg=f"item {identifier!r} not found")
        return feature

    def __repr__(self):
        return f"<PostGISLayerProvider {self.data}>"
