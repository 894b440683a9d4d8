"""One search over administrative units, named facilities and record codes (/api/search).

Matching happens in PostgreSQL, accent-insensitive: names are folded with `ioc_unaccent`
(unaccent with a fixed dictionary, so it can be indexed) and lower-cased, and searched through
trigram GIN indexes (migration 0017). Ranking, best first: the folded name equals the query,
starts with it, has a word starting with it, contains it, contains every word of it, or is
only similar (trigram word similarity, for typos); on a tie units come before features.
Codes (dossiers, citizen reports) match exactly or by prefix.

Each result belongs to a layer, and only the layers the user may read are searched (with the
layer's fixed condition and its row filter for the user's audience), so a restricted or
internal feature never reaches a reader who may not see it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from gis_server.context import page_language
from gis_server.db import read_connection
from gis_server.errors import BadRequest
from layers.access import audience_for, visible_layers
from layers.registry import LayerSpec

MAX_QUERY_LENGTH = 100
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_WORDS = 8  # words of a query matched one by one (the rest still count in the whole phrase)

# administrative units: the levels each boundary layer answers for (the province, which has
# no layer of its own, goes with the districts)
UNIT_LAYERS = {"admin-districts": ("province", "district"), "admin-communes": ("commune",)}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
# layers of named point features, searched on their `name`
NAMED_LAYERS = ("health-facilities", "schools", "tourist-sites", "traffic-cameras")
# unit kinds, stored in Vietnamese: their English names (the Vietnamese UI shows the data)
KINDS = {"Tỉnh": _("Tỉnh"), "Thành phố": _("Thành phố"), "Thị xã": _("Thị xã"), "Huyện": _("Huyện"),
         "Phường": _("Phường"), "Xã": _("Xã"), "Thị trấn": _("Thị trấn")}

# the columns every branch of the search returns, in this order
COLUMNS = "id, code, name, place, level, kind, name_en, cid, xmin, ymin, xmax, ymax, tier, sim"


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "unit" | "feature"
    layer: str
    layer_title: str
    id: int
    code: str | None
    name: str
    context: str
    url: str
    bbox: list[float] | None = None
    point: list[float] | None = None

    def as_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k not in ("bbox", "point")}
        out["bbox" if self.bbox is not None else "point"] = self.bbox if self.bbox is not None else self.point
        return out


def search_query_check(*, q: str | None, limit: str | int | None) -> tuple[str, int]:
    """The query text (NFC, spaces collapsed) and the limit, or BadRequest naming the problem."""
    text = " ".join(unicodedata.normalize("NFC", q or "").split())
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):  # PostgreSQL cannot take them
        raise BadRequest(str(_("Từ khóa tìm kiếm có ký tự không hợp lệ.")), {"q": str(_("ký tự không hợp lệ"))})
    if not text:
        raise BadRequest(str(_("Thiếu từ khóa tìm kiếm (tham số q).")), {"q": str(_("bắt buộc"))})
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequest(str(_("Từ khóa tìm kiếm dài quá %(n)d ký tự.") % {"n": MAX_QUERY_LENGTH}),
                         {"q": str(_("tối đa %(n)d ký tự") % {"n": MAX_QUERY_LENGTH})})
    if limit is None or limit == "":
        return text, DEFAULT_LIMIT
    raw = str(limit)
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(str(_("Tham số limit phải là số nguyên từ 1 đến %(n)d.") % {"n": MAX_LIMIT}),
                         {"limit": str(_("từ 1 đến %(n)d") % {"n": MAX_LIMIT})})
    return text, int(raw)


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _folded(cur, q: str) -> tuple[str, list[str]]:
    """The query and its words folded by PostgreSQL itself (the same function as the indexes),
    in one round trip, so the search query compares with plain constants."""
    words = q.split()[:MAX_WORDS]
    cur.execute("SELECT lower(ioc_unaccent(%s)), array(SELECT lower(ioc_unaccent(w)) FROM unnest(%s::text[]) w)",
                [q, words])
    folded, folded_words = cur.fetchone()
    return folded, list(folded_words)


def _params(q: str, folded: str, words: list[str]) -> dict:
    """Named parameters: the folded query, its LIKE patterns, and the code as typed."""
    esc = _like_escape(folded)
    return {"fq": folded, "prefix": esc + "%", "word": "% " + esc + "%", "inside": "%" + esc + "%",
            "code": _like_escape(q.upper()) + "%", "code_exact": q.upper(),
            **{f"w{i}": "%" + _like_escape(w) + "%" for i, w in enumerate(words)}}


def _fold(sql: str) -> str:
    return f"lower(ioc_unaccent({sql}))"


def _name_match(folded: str, n_words: int) -> str:
    """The condition selecting candidates by a folded name (served by the trigram index)."""
    every_word = " AND ".join(f"{folded} LIKE %(w{i})s" for i in range(n_words))
    return f"(({every_word}) OR %(fq)s <%% {folded})"


def _name_tier(f: str, n_words: int) -> str:
    """The tier of a candidate, from its folded name `f`: 0 (the best) to 5."""
    every_word = " AND ".join(f"{f} LIKE %(w{i})s" for i in range(n_words))
    return (f"CASE WHEN {f} = %(fq)s THEN 0 WHEN {f} LIKE %(prefix)s THEN 1 WHEN {f} LIKE %(word)s THEN 2 "
            f"WHEN {f} LIKE %(inside)s THEN 3 WHEN {every_word} THEN 4 ELSE 5 END")


def _conditions(spec: LayerSpec, user, prefix: str, *, fixed: bool = True) -> tuple[list[str], dict]:
    """The layer's own conditions on alias t: its fixed SQL and its row filter for this user
    (whose positional parameters become named ones, `prefix` + their position)."""
    where, params = ([spec.where] if fixed and spec.where else []), {}
    if spec.row_filter is not None:
        sql, values = spec.row_filter(audience_for(user, spec) or frozenset())
        for j, value in enumerate(values):
            sql = sql.replace("%s", f"%({prefix}{j})s", 1)
            params[f"{prefix}{j}"] = value
        where.append(sql)
    return where, params


class _Query:
    """The UNION ALL of one branch per searchable layer the user may read."""

    def __init__(self, q: str, folded: str, words: list[str], limit: int):
        self.params = _params(q, folded, words)
        self.n_words = len(words)
        self.limit = limit
        self.branches: list[str] = []
        self.layers: list[tuple[str, LayerSpec]] = []  # (kind, spec) of each branch

    def _own(self, spec: LayerSpec, user, *, fixed: bool = True) -> list[str]:
        where, params = _conditions(spec, user, f"b{len(self.branches)}p", fixed=fixed)
        self.params.update(params)
        return where

    def _add(self, kind: str, spec: LayerSpec, sql: str, order: str) -> None:
        self.branches.append(f"(SELECT {len(self.branches)}, * FROM ({sql}) s({COLUMNS})"
                             f" ORDER BY {order} LIMIT {int(self.limit)})")
        self.layers.append((kind, spec))

    def _candidates(self, table: str, where: list[str]) -> str:
        """Rows whose folded name matches, with that name as `f`, computed once a row (the fence,
        OFFSET 0, keeps the planner from copying the expression into every use of it)."""
        where = [_name_match(_fold("t.name"), self.n_words), *where]
        return (f"(SELECT t.*, {_fold('t.name')} AS f FROM {table} t "
                f"WHERE {' AND '.join(f'({w})' for w in where)} OFFSET 0) t")

    def units(self, spec: LayerSpec, user, levels: tuple[str, ...]) -> None:
        own = self._own(spec, user, fixed=False)  # the levels replace the layer's own condition
        where = ["t.level IN (" + ", ".join(f"'{lv}'" for lv in levels) + ")", *own]
        sql = (f"SELECT t.id, t.code, t.name, NULL::text, t.level, t.kind, t.name_en, t.parent_id, "
               f"ST_XMin(t.geom), ST_YMin(t.geom), ST_XMax(t.geom), ST_YMax(t.geom), "
               f"{_name_tier('t.f', self.n_words)}, similarity(%(fq)s, t.f) "
               f"FROM {self._candidates('layers_adminunit', where)}")
        self._add("unit", spec, sql, "tier, sim DESC, name")

    @staticmethod
    def _feature_sql(spec: LayerSpec, select: str, tier: str, sim: str, source: str) -> str:
        pt = f'ST_PointOnSurface(t."{spec.geometry_field}")'
        cid = "t.commune_id" if spec.joins_commune else "NULL::int"
        return (f"SELECT t.{spec.id_field}, {select}, NULL, NULL, NULL, {cid}, "
                f"ST_X({pt}), ST_Y({pt}), ST_X({pt}), ST_Y({pt}), {tier}, {sim} FROM {source}")

    def named(self, spec: LayerSpec, user) -> None:
        sql = self._feature_sql(spec, "NULL, t.name, NULL", _name_tier("t.f", self.n_words),
                                "similarity(%(fq)s, t.f)", self._candidates(spec.table, self._own(spec, user)))
        self._add("feature", spec, sql, "tier, sim DESC, name")

    def coded(self, spec: LayerSpec, user, *, code: str, name: str, place: str = "NULL", joins: str = "",
              prefix: bool = True) -> None:
        """Records found by their code (exact first, then by prefix unless `prefix` is False),
        shown on the layer's feature."""
        key = f'upper({code}) COLLATE "C"'  # the index's order: the exact code, then the longer ones
        where = [f"{key} LIKE %(code)s" if prefix else f"{key} = %(code_exact)s", *self._own(spec, user)]
        tier = f"CASE WHEN {key} = %(code_exact)s THEN 0 ELSE 1 END"
        sql = self._feature_sql(spec, f"{code}, {name}, {place}", tier, "1::real",
                                f"{spec.table} t {joins} WHERE {' AND '.join(f'({w})' for w in where)}")
        self._add("feature", spec, sql, 'upper(code) COLLATE "C"')

    def sql(self) -> str:
        """The best rows of all branches; only they are joined to their commune and district
        (for a unit: its parent), which keeps the plan small."""
        order = ("r.tier, (r.level IS NULL), CASE r.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, "
                 'r.sim DESC, upper(r.code) COLLATE "C", r.name, r.id')
        return (f"SELECT r.*, c.kind, c.name, c.name_en, d.kind, d.name, d.name_en FROM "
                f"(SELECT * FROM ({' UNION ALL '.join(self.branches)}) r(branch, {COLUMNS}) "
                f"ORDER BY {order} LIMIT {int(self.limit)}) r "
                f"LEFT JOIN layers_adminunit c ON c.id = r.cid LEFT JOIN layers_adminunit d ON d.id = c.parent_id "
                f"ORDER BY {order}")


def _kind(kind: str | None, lang: str) -> str:
    return str(KINDS.get(kind or "", kind or "")) if lang == "en" else (kind or "")


def _unit_label(kind: str | None, name: str | None, name_en: str | None, lang: str) -> str:
    if not name:
        return ""
    if lang == "en":
        return f"{name_en or name} {_kind(kind, lang)}".strip()
    return f"{kind or ''} {name}".strip()


def _layer_title(spec: LayerSpec, lang: str) -> str:
    return spec.title_en if lang == "en" else spec.title_vi


def _result(kind: str, spec: LayerSpec, row: tuple, lang: str) -> SearchResult:
    (_branch, fid, code, name, place, _level, own_kind, name_en, _cid, xmin, ymin, xmax, ymax, _tier, _sim,
     k1, n1, e1, k2, n2, e2) = row
    title = _layer_title(spec, lang)
    if kind == "unit":  # its parent is the context
        return SearchResult(kind="unit", layer=spec.id, layer_title=title, id=fid, code=code,
                            name=_unit_label(own_kind, name, name_en, lang), context=_unit_label(k1, n1, e1, lang),
                            url=f"/?unit={code}", bbox=[round(v, 6) for v in (xmin, ymin, xmax, ymax)])
    if spec.field("category") is not None and name is not None:  # a report: its category, not its code
        name = str(dict(spec.field("category").choices).get(name, name))
    context = ", ".join(x for x in (place, _unit_label(k1, n1, e1, lang), _unit_label(k2, n2, e2, lang)) if x)
    return SearchResult(kind="feature", layer=spec.id, layer_title=title, id=fid, code=code, name=name or "",
                        context=context, url=f"/?layer={spec.id}&feature={fid}",
                        point=[round(xmin, 6), round(ymin, 6)] if xmin is not None else None)


def _branches(query: _Query, readable: dict[str, LayerSpec], user) -> None:
    for layer_id, levels in UNIT_LAYERS.items():
        if layer_id in readable:
            query.units(readable[layer_id], user, levels)
    for layer_id in NAMED_LAYERS:
        if layer_id in readable:
            query.named(readable[layer_id], user)
    if "public-service-centres" in readable:  # a dossier is shown on its one-stop office
        # dossiers are not published on the layer: anyone may look one up by its whole code (as
        # on the public-service portal), but only signed-in users may list them by a prefix
        query.coded(readable["public-service-centres"], user, code="r.code", name="r.procedure", place="t.name",
                    joins="JOIN layers_dossier r ON r.centre_id = t.id", prefix=user.is_authenticated)
    if "citizen-reports" in readable:
        query.coded(readable["citizen-reports"], user, code="t.code", name="t.category")


def search_features(*, q: str, user, limit: int | str | None = DEFAULT_LIMIT,
                    lang: str | None = None) -> list[SearchResult]:
    """Units, facilities and record codes matching `q` in the layers `user` may read, best first
    (`q` and `limit` are checked here: BadRequest names the problem)."""
    q, limit = search_query_check(q=q, limit=limit)
    lang = lang or page_language()
    user = user if user is not None else AnonymousUser()
    readable = {s.id: s for s in visible_layers(user)}
    with read_connection().cursor() as cur:
        query = _Query(q, *_folded(cur, q), limit)
        _branches(query, readable, user)
        if not query.branches:
            return []
        cur.execute(query.sql(), query.params)
        rows = cur.fetchall()
    return [_result(*query.layers[row[0]], row, lang) for row in rows]
