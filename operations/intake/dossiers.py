"""The public-service dossier feed: the national portal's export (CSV or JSON) upserted by
dossier code. Every row is checked first; one bad row and nothing is stored."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from gis_server.errors import BadRequest
from layers.models import AdminUnit, Dossier, ServiceCentre

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")  # the portal writes local times without an offset
FIELDS = ("code", "procedure", "unit", "received", "due", "resolved", "status", "channel")
OPTIONAL = {"resolved"}
# headings and keys, folded (no accents, lower case, "_" and runs of spaces as one space)
HEADINGS: dict[str, str] = {
    **{f: f for f in FIELDS},
    "ma ho so": "code",
    "so ho so": "code",
    "dossier code": "code",
    "thu tuc": "procedure",
    "ten thu tuc": "procedure",
    "thu tuc hanh chinh": "procedure",
    "don vi tiep nhan": "unit",
    "don vi": "unit",
    "co quan tiep nhan": "unit",
    "unit code": "unit",
    "ngay tiep nhan": "received",
    "thoi gian tiep nhan": "received",
    "received at": "received",
    "han giai quyet": "due",
    "han xu ly": "due",
    "ngay hen tra": "due",
    "due at": "due",
    "ngay giai quyet": "resolved",
    "ngay tra ket qua": "resolved",
    "ngay hoan thanh": "resolved",
    "resolved at": "resolved",
    "trang thai": "status",
    "tinh trang": "status",
    "kenh": "channel",
    "kenh tiep nhan": "channel",
    "hinh thuc nop": "channel",
}
HEADING_HINT = {
    "code": "Mã hồ sơ",
    "procedure": "Thủ tục",
    "unit": "Đơn vị tiếp nhận",
    "received": "Ngày tiếp nhận",
    "due": "Hạn giải quyết",
    "status": "Trạng thái",
    "channel": "Kênh",
}
STATUSES: dict[str, str] = {
    **{s.value: s.value for s in Dossier.Status},
    "dang xu ly": "processing",
    "dang giai quyet": "processing",
    "da tiep nhan": "processing",
    "moi tiep nhan": "processing",
    "da giai quyet": "resolved",
    "da tra ket qua": "resolved",
    "hoan thanh": "resolved",
    "tra lai": "returned",
    "bo sung": "returned",
    "tra lai, bo sung": "returned",
    "yeu cau bo sung": "returned",
    "cho bo sung": "returned",
}
CHANNELS: dict[str, str] = {
    "online": "online",
    "truc tuyen": "online",
    "offline": "offline",
    "truc tiep": "offline",
    "buu chinh": "offline",
    "postal": "offline",  # the model knows two channels; a postal dossier is not online
}
DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
YEARS = range(2000, 2101)
Parser = Callable[[str], object]  # the text of a cell -> its value, or ValueError with the reason


class DossierRecord(NamedTuple):
    """One dossier as stored: the columns of layers_dossier, in the order they are copied."""

    code: str
    procedure: str
    centre_id: int
    unit_id: int
    received_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    status: str
    channel: str


STORED = DossierRecord._fields


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def line(self) -> str:
        return f"dossiers: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class RowProblem:
    where: str  # "line 5" (CSV, the header is line 1) or "item 5" (JSON, counted from 1)
    column: str  # as the file names it
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.column}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"row": self.where, "column": self.column, "message": str(self)}


class DossierFeedInvalid(BadRequest):
    """The file, or some of its rows, cannot be imported; `problems` names each one."""

    SHOWN = 20

    def __init__(self, problems: list[RowProblem], *, whole_file: bool = False):
        rows = len({p.where for p in problems})
        self.summary = "the file cannot be imported" if whole_file else f"{rows} bad row{'s' if rows != 1 else ''}"
        listing = "; ".join(str(p) for p in problems[: self.SHOWN])
        more = f" (and {len(problems) - self.SHOWN} more)" if len(problems) > self.SHOWN else ""
        super().__init__(
            f"{self.summary}, nothing was stored: {listing}{more}",
            errors=[p.as_dict() for p in problems],
        )
        self.problems = problems


@functools.lru_cache(maxsize=4096)  # a feed repeats a handful of statuses, channels and units
def fold(text: str) -> str:
    """Lower case without accents, with "_" and runs of white space as one space."""
    s = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("_", " ")
    return " ".join(s.split())


# ---- reading the file: (where, column label per field, values per field) per row


class SourceRow(NamedTuple):
    where: str
    labels: dict[str, str]  # field -> the heading or key the file uses for it
    values: dict[str, str]  # field -> the text, "" when empty
    problems: tuple[RowProblem, ...] = ()  # the row cannot be read as it is


def _text_of(path_or_file: str | Path | IO) -> tuple[str, str]:
    """(text, name) of a path or an open file, UTF-8 with or without BOM."""
    if hasattr(path_or_file, "read"):
        raw, name = path_or_file.read(), str(getattr(path_or_file, "name", ""))
    else:
        path = Path(path_or_file)
        if not path.is_file():
            raise DossierFeedInvalid([RowProblem("file", path.name, f"no such file: {path}")], whole_file=True)
        raw, name = path.read_bytes(), path.name
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DossierFeedInvalid(
                [
                    RowProblem(
                        "file",
                        Path(name).name or "file",
                        f"not UTF-8 text (byte {exc.start}); save the export as UTF-8",
                    )
                ],
                whole_file=True,
            ) from None
    return raw.removeprefix("\ufeff"), name


def _format_of(text: str, name: str, format: str | None) -> str:
    if format in ("csv", "json"):
        return format
    if format is not None:
        raise DossierFeedInvalid(
            [RowProblem("file", "format", f"unknown format {format!r}; csv or json")], whole_file=True
        )
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    return "json" if text.lstrip()[:1] in ("[", "{") else "csv"


def _fields_of(names: Iterable[str], where: str) -> tuple[dict[str, str], list[RowProblem]]:
    """Field -> heading as written, from the headings (or keys) of the file; unknown ones are ignored."""
    labels: dict[str, str] = {}
    problems = []
    for name in names:
        field = HEADINGS.get(fold(name))
        if field is None:
            continue
        if field in labels:
            problems.append(RowProblem(where, name, f"a second column for {field} (first: {labels[field]!r})"))
        labels[field] = labels.get(field, name)
    return labels, problems


def _missing_columns(labels: dict[str, str]) -> list[RowProblem]:
    return [
        RowProblem("line 1", HEADING_HINT[f], f"no column for {f} (heading {HEADING_HINT[f]!r} or {f!r})")
        for f in FIELDS
        if f not in labels and f not in OPTIONAL
    ]


def csv_rows(text: str) -> Iterator[SourceRow]:
    """Rows of a comma-, semicolon- or tab-delimited export; the header names the columns."""
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise DossierFeedInvalid([RowProblem("line 1", "header", "the file is empty")], whole_file=True)
    columns = [(i, HEADINGS.get(fold(h))) for i, h in enumerate(header)]
    labels, problems = _fields_of(header, "line 1")
    problems += _missing_columns(labels)
    if problems:
        raise DossierFeedInvalid(problems, whole_file=True)
    line = reader.line_num
    for cells in reader:
        where, line = f"line {line + 1}", reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            yield SourceRow(
                where, labels, {}, (RowProblem(where, "row", f"{len(cells)} cells where the header has {len(header)}"),)
            )
            continue
        values = {f: cells[i].strip() for i, f in columns if f is not None and i < len(cells)}
        yield SourceRow(where, labels, values)


def json_rows(text: str) -> Iterator[SourceRow]:
    """Items of a JSON list, or of {"items": [...]}, with the same keys as the CSV headings."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DossierFeedInvalid(
            [RowProblem(f"line {exc.lineno}", "JSON", f"not valid JSON: {exc.msg}")], whole_file=True
        ) from None
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise DossierFeedInvalid(
            [RowProblem("file", "JSON", 'expected a list of dossiers, or {"items": [...]}')], whole_file=True
        )
    for n, item in enumerate(items, start=1):
        where = f"item {n}"
        if not isinstance(item, dict):
            yield SourceRow(where, {}, {}, (RowProblem(where, "item", "not an object"),))
            continue
        labels, problems = _fields_of(item, where)
        values = {HEADINGS[fold(k)]: _json_text(v) for k, v in item.items() if fold(k) in HEADINGS}
        yield SourceRow(where, {**{f: f for f in FIELDS}, **labels}, values, tuple(problems))


def _json_text(value: object) -> str:
    return "" if value is None else str(value).strip()


# ---- checking one row


class UnitIndex:
    """The receiving unit of a row, by code or by name (without accents or case), and its
    one-stop centre; built once per import from the admin units and service centres."""

    def __init__(self) -> None:
        centres: dict[int, int] = {}
        names: dict[str, set[int]] = {}
        # a unit with several centres: the oldest one receives its dossiers
        for unit_id, centre_id, name in ServiceCentre.objects.order_by("-id").values_list("unit_id", "id", "name"):
            centres[unit_id] = centre_id
            names.setdefault(fold(name), set()).add(unit_id)
        self.centres = centres
        self.codes: dict[str, int] = {}
        self.labels: dict[int, str] = {}
        for uid, code, name, kind in AdminUnit.objects.values_list("id", "code", "name", "kind"):
            self.codes[code] = uid
            self.labels[uid] = f"{kind} {name} ({code})"
            for key in (fold(name), fold(f"{kind} {name}"), fold(f"ubnd {kind} {name}")):
                names.setdefault(key, set()).add(uid)
        self.names = names
        self.memo: dict[str, tuple[int, int] | str] = {}

    def resolve(self, text: str) -> tuple[int, int]:
        """(unit id, centre id); ValueError with the reason otherwise."""
        if text not in self.memo:
            self.memo[text] = self._lookup(text)
        found = self.memo[text]
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def _lookup(self, text: str) -> tuple[int, int] | str:
        uid = self.codes.get(text)
        if uid is None:
            ids = self.names.get(fold(text), set())
            if len(ids) > 1:
                return f"{text!r} names several units ({', '.join(sorted(self.labels[i] for i in ids))}); give the code"
            if not ids:
                return f"unknown unit {text!r} (neither a unit code nor a unit name)"
            uid = next(iter(ids))
        if uid not in self.centres:
            return f"{self.labels[uid]} has no one-stop service centre to receive dossiers"
        return uid, self.centres[uid]


def parse_local_datetime(text: str) -> datetime:
    """ISO 8601, or dd/mm/yyyy [HH:MM[:SS]]; local (Asia/Ho_Chi_Minh) time unless an offset is given."""
    m = DMY.fullmatch(text)
    try:
        if m:
            d, mo, y, h, mi, s = (int(g) if g else 0 for g in m.groups())
            value = datetime(y, mo, d, h, mi, s)
        else:
            value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (dd/mm/yyyy [HH:MM[:SS]] or ISO 8601)") from None
    if value.year not in YEARS:
        raise ValueError(f"{text!r} is outside {YEARS.start}–{YEARS.stop - 1}")
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)


def _choice(text: str, table: dict[str, str], what: str, words: str) -> str:
    found = table.get(fold(text))
    if found is None:
        raise ValueError(f"unknown {what} {text!r} ({words})")
    return found


def parse_status(text: str) -> str:
    return _choice(
        text,
        STATUSES,
        "status",
        "Đang xử lý, Đã giải quyết, Đã trả kết quả, Trả lại, Bổ sung or processing, resolved, returned",
    )


def parse_channel(text: str) -> str:
    return _choice(text, CHANNELS, "channel", "Trực tuyến, Trực tiếp, Bưu chính or online, offline")


def _at_most(limit: int) -> Parser:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise ValueError(f"longer than {limit} characters")
        return text

    return parse


def _row_parsers(units: UnitIndex) -> dict[str, Parser]:
    return {
        "code": _at_most(30),
        "procedure": _at_most(200),
        "unit": units.resolve,
        "received": parse_local_datetime,
        "due": parse_local_datetime,
        "resolved": parse_local_datetime,
        "status": parse_status,
        "channel": parse_channel,
    }


def _parse_row(row: SourceRow, parsers: dict[str, Parser]) -> tuple[DossierRecord | None, list[RowProblem]]:
    """The record of a row, or the problems of its columns."""
    if row.problems:
        return None, list(row.problems)
    parsed, problems = {}, []
    for field in FIELDS:
        text = row.values.get(field, "")
        if not text:
            if field not in OPTIONAL:
                problems.append(RowProblem(row.where, row.labels[field], "missing"))
            parsed[field] = None
            continue
        try:
            parsed[field] = parsers[field](text)
        except ValueError as exc:
            problems.append(RowProblem(row.where, row.labels[field], str(exc)))
    if problems:
        return None, problems
    problems = _consistency(row, parsed)
    if problems:
        return None, problems
    unit_id, centre_id = parsed["unit"]
    return DossierRecord(
        parsed["code"],
        parsed["procedure"],
        centre_id,
        unit_id,
        parsed["received"],
        parsed["due"],
        parsed["resolved"],
        parsed["status"],
        parsed["channel"],
    ), []


def _consistency(row: SourceRow, p: dict) -> list[RowProblem]:
    """Rules between columns: dates in order, a resolved date exactly when the dossier is resolved."""
    label = row.labels
    out = []
    if p["due"] < p["received"]:
        out.append(RowProblem(row.where, label["due"], "falls before the received date"))
    if p["resolved"] is not None and p["resolved"] < p["received"]:
        out.append(RowProblem(row.where, label["resolved"], "falls before the received date"))
    if p["status"] == "resolved" and p["resolved"] is None:
        out.append(RowProblem(row.where, label.get("resolved", "resolved"), "missing for a resolved dossier"))
    if p["status"] == "processing" and p["resolved"] is not None:
        out.append(RowProblem(row.where, label["resolved"], "given for a dossier still being processed"))
    return out


def dossier_records(rows: Iterable[SourceRow]) -> list[DossierRecord]:
    """Every row checked; DossierFeedInvalid naming all the bad ones, else one record per row."""
    parsers = _row_parsers(UnitIndex())
    records, problems = [], []
    first_seen: dict[str, str] = {}
    for row in rows:
        record, row_problems = _parse_row(row, parsers)
        if record is not None and record.code in first_seen:
            row_problems = [
                RowProblem(
                    row.where, row.labels["code"], f"dossier {record.code!r} is already on {first_seen[record.code]}"
                )
            ]
        if row_problems:
            problems += row_problems
            continue
        first_seen[record.code] = row.where
        records.append(record)
    if problems:
        raise DossierFeedInvalid(problems)
    return records


# ---- storing
# The measured hot path (100,000 rows): COPY into a temporary table, then one UPDATE of the
# dossiers that changed and one INSERT of the new ones. Reading the stored rows back and
# bulk_create(update_conflicts=True) took about twice as long, on a first import and on a re-import.

STAGE = "dossier_feed_stage"
COLUMNS = ", ".join(STORED)


def _stage(cur, records: list[DossierRecord]) -> None:
    table = Dossier._meta.db_table
    cur.execute(f"CREATE TEMP TABLE {STAGE} ON COMMIT DROP AS SELECT {COLUMNS} FROM {table} WITH NO DATA")
    with cur.connection.cursor() as pcur, pcur.copy(f"COPY {STAGE} ({COLUMNS}) FROM STDIN") as copy:
        for record in records:
            copy.write_row(record)
    cur.execute(f"ANALYZE {STAGE}")


def _upsert(records: list[DossierRecord]) -> ImportResult:
    """Changed dossiers updated, new codes inserted, the rest left alone (not even rewritten)."""
    table = Dossier._meta.db_table
    fields = STORED[1:]
    with connection.cursor() as cur:
        _stage(cur, records)
        cur.execute(
            f"UPDATE {table} d SET {', '.join(f'{c} = s.{c}' for c in fields)} FROM {STAGE} s "
            f"WHERE d.code = s.code AND ({', '.join(f'd.{c}' for c in fields)}) "
            f"IS DISTINCT FROM ({', '.join(f's.{c}' for c in fields)})"
        )
        updated = cur.rowcount
        # a code another import has just inserted is left to it
        cur.execute(f"INSERT INTO {table} ({COLUMNS}) SELECT {COLUMNS} FROM {STAGE} ON CONFLICT (code) DO NOTHING")
        created = cur.rowcount
        cur.execute(f"DROP TABLE {STAGE}")  # a second import in the same transaction stages again
    return ImportResult(created=created, updated=updated, unchanged=len(records) - created - updated)


def dossiers_import(*, path_or_file: str | Path | IO, format: str | None = None) -> ImportResult:
    """Import the portal's dossier export (CSV or JSON): all rows checked, then upserted by code in one transaction."""
    text, name = _text_of(path_or_file)
    fmt = _format_of(text, name, format)
    records = dossier_records(csv_rows(text) if fmt == "csv" else json_rows(text))
    with transaction.atomic():
        return _upsert(records)
