"""CQL2 (parsed by pygeoapi into a pygeofilter AST) to a parameterised SQL condition.

Only attributes of the layer are accepted; every value is a bound parameter."""

from __future__ import annotations

import json
from datetime import date, datetime

from pygeoapi.provider.base import ProviderInvalidQueryError
from pygeofilter import ast, values

_CMP = {ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=",
        ast.GreaterThan: ">", ast.GreaterEqual: ">="}
_SPATIAL = {
    "INTERSECTS": "ST_Intersects", "DISJOINT": "ST_Disjoint", "CONTAINS": "ST_Contains",
    "WITHIN": "ST_Within", "TOUCHES": "ST_Touches", "CROSSES": "ST_Crosses",
    "OVERLAPS": "ST_Overlaps", "EQUALS": "ST_Equals",
}
_TEMPORAL = {"AFTER": ">", "BEFORE": "<", "TEQUALS": "="}
GEOMETRY_NAMES = {"geometry", "geom", "the_geom"}


def _bad(msg: str):
    return ProviderInvalidQueryError(user_msg=f"filter: {msg}")


class _Translator:
    def __init__(self, fields: dict, geometry_sql: str):
        self.fields = fields
        self.geometry_sql = geometry_sql
        self.params: list = []

    def value(self, node) -> str:
        if isinstance(node, ast.Attribute):
            if node.name in GEOMETRY_NAMES:
                return self.geometry_sql
            f = self.fields.get(node.name)
            if f is None:
                raise _bad(f"unknown property {node.name!r}")
            return f.sql
        if isinstance(node, (values.Geometry, values.Envelope)):
            self.params.append(json.dumps(node.geometry))
            return "ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)"
        if isinstance(node, bool) or isinstance(node, (int, float, str, date, datetime)):
            self.params.append(node)
            return "%s"
        if isinstance(node, values.Interval):
            raise _bad("time intervals are only supported with T_DURING")
        raise _bad(f"unsupported expression {type(node).__name__}")

    def cond(self, node) -> str:
        if isinstance(node, ast.And):
            return f"({self.cond(node.lhs)} AND {self.cond(node.rhs)})"
        if isinstance(node, ast.Or):
            return f"({self.cond(node.lhs)} OR {self.cond(node.rhs)})"
        if isinstance(node, ast.Not):
            return f"(NOT {self.cond(node.sub_node)})"
        if type(node) in _CMP:
            return f"({self.value(node.lhs)} {_CMP[type(node)]} {self.value(node.rhs)})"
        if isinstance(node, ast.Between):
            neg = "NOT " if node.not_ else ""
            return f"({self.value(node.lhs)} {neg}BETWEEN {self.value(node.low)} AND {self.value(node.high)})"
        if isinstance(node, ast.Like):
            if not isinstance(node.pattern, str):
                raise _bad("LIKE needs a text pattern")
            op = "ILIKE" if node.nocase else "LIKE"
            neg = "NOT " if node.not_ else ""
            lhs = self.value(node.lhs)
            self.params.append(node.pattern)
            return f"({lhs}::text {neg}{op} %s)"
        if isinstance(node, ast.In):
            lhs = self.value(node.lhs)
            items = ", ".join(self.value(v) for v in node.sub_nodes)
            return f"({lhs} {'NOT ' if node.not_ else ''}IN ({items}))"
        if isinstance(node, ast.IsNull):
            return f"({self.value(node.lhs)} IS {'NOT ' if node.not_ else ''}NULL)"
        if isinstance(node, ast.SpatialComparisonPredicate):
            fn = _SPATIAL[node.op.value]
            return f"{fn}({self.value(node.lhs)}, {self.value(node.rhs)})"
        if isinstance(node, ast.BBox):
            self.params += [node.minx, node.miny, node.maxx, node.maxy]
            return f"ST_Intersects({self.value(node.lhs)}, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"
        if isinstance(node, ast.TemporalPredicate):
            if node.op.value == "DURING" and isinstance(node.rhs, values.Interval):
                lhs = self.value(node.lhs)
                parts = []
                if node.rhs.start is not None:
                    parts.append(f"{lhs} >= {self.value(node.rhs.start)}")
                if node.rhs.end is not None:
                    parts.append(f"{lhs} <= {self.value(node.rhs.end)}")
                return "(" + (" AND ".join(parts) or "TRUE") + ")"
            if node.op.value in _TEMPORAL:
                return f"({self.value(node.lhs)} {_TEMPORAL[node.op.value]} {self.value(node.rhs)})"
            raise _bad(f"temporal operator {node.op.value} is not supported")
        if isinstance(node, ast.Include):
            return "FALSE" if node.not_ else "TRUE"
        raise _bad(f"unsupported operator {type(node).__name__}")


def cql_to_sql(node, fields: dict, *, geometry_sql: str) -> tuple[str, list]:
    t = _Translator(fields, geometry_sql)
    sql = t.cond(node)
    return sql, t.params
