"""layers.query: bbox and datetime parameters, and the parameterised SQL of LayerQuery.
LayerQuery only names a connection; building SQL never runs a query (the unit conftest
would fail the test if it tried)."""

from datetime import UTC, date, datetime, time

import pytest

from layers.query import Filters, LayerQuery, QueryError, Sort, check_bbox, parse_datetime_param
from layers.registry import static_layers

INJECTION = "x' OR 1=1 --"


def spec(layer_id):
    return next(s for s in static_layers() if s.id == layer_id)


@pytest.fixture
def schools():
    return LayerQuery(spec("schools"))  # name, level, students, teachers, public, commune; no time field


@pytest.fixture
def accidents():
    return LayerQuery(spec("traffic-accidents"))  # occurred_at is a date-time, the time field


@pytest.fixture
def disease_weeks():
    return LayerQuery(spec("disease-cases-weekly"))  # week is a date, the time field


def sql_of(where):
    return " AND ".join(where)


# ------------------------------------------------------------------ check_bbox
def test_a_bbox_of_four_numbers_is_parsed():
    assert check_bbox("106.5,11.3,107.0,12.0") == [106.5, 11.3, 107.0, 12.0]


def test_a_bbox_of_six_numbers_has_heights():
    assert check_bbox("106.5,11.3,0,107.0,12.0,500") == [106.5, 11.3, 0.0, 107.0, 12.0, 500.0]


def test_a_bbox_may_be_a_single_point():
    assert check_bbox("106,11,106,11") == [106.0, 11.0, 106.0, 11.0]


@pytest.mark.parametrize("raw", ["1,2,3", "1,2,3,4,5", "1,2,3,4,5,6,7", ""])
def test_a_bbox_of_another_count_is_refused(raw):
    with pytest.raises(QueryError, match="4 numbers"):
        check_bbox(raw)


@pytest.mark.parametrize("raw", ["a,b,c,d", "1,2,,4", "1,2,3,4x"])
def test_a_bbox_of_non_numbers_is_refused(raw):
    with pytest.raises(QueryError, match="numbers"):
        check_bbox(raw)


@pytest.mark.parametrize("raw", ["inf,0,1,1", "0,0,1,-inf", "nan,0,1,1", "0,0,1e999,1"])
def test_a_bbox_of_infinite_or_nan_values_is_refused(raw):
    with pytest.raises(QueryError, match="finite"):
        check_bbox(raw)


def test_a_bbox_upside_down_is_refused():
    with pytest.raises(QueryError, match="miny"):
        check_bbox("106,12,107,11")


def test_a_bbox_over_the_antimeridian_is_refused():
    with pytest.raises(QueryError, match="minx"):
        check_bbox("179,10,-179,11")


def test_six_number_bbox_checks_y_not_z():
    with pytest.raises(QueryError, match="miny"):
        check_bbox("106,12,0,107,11,10")
    assert check_bbox("106,11,50,107,12,10")  # z is not ordered-checked, x and y are


@pytest.mark.parametrize("raw", ["0,-91,1,0", "0,0,1,90.5", "0,-100,1,100"])
def test_a_bbox_beyond_the_poles_is_refused(raw):
    with pytest.raises(QueryError, match="latitudes"):
        check_bbox(raw)


def test_a_bbox_error_is_a_400():
    from gis_server.errors import status_of

    with pytest.raises(QueryError) as caught:
        check_bbox("x")
    assert status_of(caught.value)[0] == 400


# ------------------------------------------------------------------ parse_datetime_param
def test_an_instant_date_stays_a_date():
    assert parse_datetime_param("2025-01-15") == (date(2025, 1, 15), date(2025, 1, 15), True)


def test_an_instant_date_time_with_z_is_utc():
    begin, end, instant = parse_datetime_param("2025-01-15T08:30:00Z")
    assert begin == end == datetime(2025, 1, 15, 8, 30, tzinfo=UTC)
    assert begin.utcoffset().total_seconds() == 0
    assert instant is True


def test_a_date_time_without_zone_is_taken_as_utc():
    begin, _end, _ = parse_datetime_param("2025-01-15T08:30:00")
    assert begin == datetime(2025, 1, 15, 8, 30, tzinfo=UTC)


def test_a_date_time_with_an_offset_keeps_it():
    begin, _end, _ = parse_datetime_param("2025-01-15T08:30:00+07:00")
    assert begin == datetime(2025, 1, 15, 1, 30, tzinfo=UTC)


def test_an_interval_open_at_the_start():
    assert parse_datetime_param("../2025-01-01") == (None, date(2025, 1, 1), False)


def test_an_interval_open_at_the_end():
    assert parse_datetime_param("2025-01-01/..") == (date(2025, 1, 1), None, False)


def test_an_interval_with_an_empty_end_is_open():
    assert parse_datetime_param("2025-01-01/") == (date(2025, 1, 1), None, False)


def test_a_closed_interval():
    assert parse_datetime_param("2025-01-01/2025-03-31") == (date(2025, 1, 1), date(2025, 3, 31), False)


def test_a_one_day_interval_is_fine():
    assert parse_datetime_param("2025-01-01/2025-01-01")[2] is False


def test_an_interval_of_date_time_and_date_on_the_same_day_is_fine():
    begin, end, _ = parse_datetime_param("2025-01-01T12:00:00Z/2025-01-01")
    assert begin == datetime(2025, 1, 1, 12, tzinfo=UTC) and end == date(2025, 1, 1)


@pytest.mark.parametrize("value", ["2025-03-01/2025-01-01", "2025-01-02T00:00:00Z/2025-01-01"])
def test_a_reversed_interval_is_refused(value):
    with pytest.raises(ValueError, match="starts after it ends"):
        parse_datetime_param(value)


@pytest.mark.parametrize("value", ["../..", "/", "../"])
def test_an_interval_open_at_both_ends_is_refused(value):
    with pytest.raises(ValueError, match="at least one end"):
        parse_datetime_param(value)


@pytest.mark.parametrize("value", ["garbage", "2025-13-01", "2025-01-32", "15/01/2025/x", "2025-1-5", "",
                                   "2025-01-01T25:00:00Z", "yesterday/today"])
def test_garbage_is_refused(value):
    with pytest.raises(ValueError):
        parse_datetime_param(value)


# ------------------------------------------------------------------ LayerQuery: no connection
def test_constructing_a_layer_query_does_not_connect(schools):
    assert schools.conn.alias == "default"
    assert schools.conn.connection is None


def test_building_sql_does_not_connect(schools):
    schools.where(Filters(bbox=(106, 11, 107, 12), properties=(("name", "A"),), q="x"))
    schools.order_by((Sort("students"),))
    schools.feature_sql()
    schools.rows_sql(Filters())
    assert schools.conn.connection is None


def test_a_primary_query_uses_the_default_connection():
    q = LayerQuery(spec("schools"), primary=True)
    assert q.conn.alias == "default"


# ------------------------------------------------------------------ LayerQuery.where
def test_no_filters_no_conditions(schools):
    assert schools.where(Filters()) == ([], [])


def test_a_layer_with_a_fixed_condition_keeps_it():
    where, params = LayerQuery(spec("admin-districts")).where(Filters())
    assert where == ["t.level = 'district'"]
    assert params == []


def test_a_property_value_is_a_parameter_never_sql(schools):
    where, params = schools.where(Filters(properties=(("name", INJECTION),)))
    assert where == ['t."name" = %s']
    assert params == [INJECTION]
    assert INJECTION not in sql_of(where)
    assert "1=1" not in sql_of(where)


def test_every_filter_value_is_a_parameter(accidents):
    filters = Filters(bbox=(106.1, 11.2, 107.3, 12.4), datetime="2025-01-01/2025-06-30",
                      properties=(("road", INJECTION), ("deaths", "2")), q="Đồng Xoài")
    where, params = accidents.where(filters)
    sql = sql_of(where)
    for value in ("106.1", "11.2", "107.3", "12.4", "2025", INJECTION, "Đồng", "Xoài"):
        assert value not in sql
    assert sql.count("%s") == len(params)
    assert INJECTION in params and 2 in params


def test_an_unknown_property_is_refused(schools):
    with pytest.raises(QueryError, match="unknown property 'pupils'"):
        schools.where(Filters(properties=(("pupils", "3"),)))


def test_an_injected_property_name_is_refused(schools):
    with pytest.raises(QueryError, match="unknown property"):
        schools.where(Filters(properties=(('name" = name OR "1', "x"),)))


def test_an_integer_property_is_cast(schools):
    _where, params = schools.where(Filters(properties=(("students", "350"),)))
    assert params == [350]


@pytest.mark.parametrize("raw", ["many", "3.5", "1e3", str(2**63)])
def test_a_bad_integer_is_refused_naming_the_property(schools, raw):
    with pytest.raises(QueryError, match="students") as caught:
        schools.where(Filters(properties=(("students", raw),)))
    assert "integer" in caught.value.description


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("FALSE", False), ("1", True), ("0", False)])
def test_a_boolean_property_is_cast(schools, raw, value):
    assert schools.where(Filters(properties=(("public", raw),)))[1] == [value]


def test_a_bad_boolean_is_refused_naming_the_property(schools):
    with pytest.raises(QueryError, match="public"):
        schools.where(Filters(properties=(("public", "yes please"),)))


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "lots"])
def test_a_bad_number_is_refused_naming_the_property(raw):
    q = LayerQuery(spec("school-enrolment"))
    with pytest.raises(QueryError, match="pupils_per_teacher"):
        q.where(Filters(properties=(("pupils_per_teacher", raw),)))


def test_a_date_time_property_is_parsed(accidents):
    _where, params = accidents.where(Filters(properties=(("occurred_at", "2025-02-01T10:00:00Z"),)))
    assert params == [datetime(2025, 2, 1, 10, tzinfo=UTC)]


def test_a_bad_date_time_property_is_refused(accidents):
    with pytest.raises(QueryError, match="occurred_at"):
        accidents.where(Filters(properties=(("occurred_at", "last tuesday"),)))


def test_a_computed_property_filters_on_its_expression(schools):
    where, params = schools.where(Filters(properties=(("commune", "Tân Phú"),)))
    assert where == ["c.name = %s"]
    assert params == ["Tân Phú"]


def test_a_bbox_is_two_envelopes_of_parameters(schools):
    where, params = schools.where(Filters(bbox=(106.0, 11.0, 107.0, 12.0)))
    assert len(where) == 1
    assert where[0].count("ST_MakeEnvelope(%s, %s, %s, %s, 4326)") == 2
    assert params == [106.0, 11.0, 107.0, 12.0] * 2


def test_a_six_number_bbox_drops_the_heights(schools):
    _where, params = schools.where(Filters(bbox=(106.0, 11.0, -5.0, 107.0, 12.0, 900.0)))
    assert params == [106.0, 11.0, 107.0, 12.0] * 2


def test_free_text_searches_every_plain_text_property_per_term(schools):
    where, params = schools.where(Filters(q="Lê  Lợi,THPT"))
    assert len(where) == 3  # one condition per term
    text_fields = ['t."name"', 't."level"', "c.name"]
    for cond in where:
        assert all(f"{f} ILIKE %s" in cond for f in text_fields)
    assert params == ["%Lê%"] * 3 + ["%Lợi%"] * 3 + ["%THPT%"] * 3


def test_free_text_search_is_limited_to_ten_terms(schools):
    where, _params = schools.where(Filters(q=" ".join(f"t{i}" for i in range(25))))
    assert len(where) == 10


def test_extra_conditions_are_passed_through_with_their_parameters(schools):
    where, params = schools.where(Filters(properties=(("level", "thpt"),), extra=(("t.students > %s", (100,)),)))
    assert where == ['t."level" = %s', "t.students > %s"]
    assert params == ["thpt", 100]


# ------------------------------------------------------------------ datetime conditions
def test_datetime_is_ignored_on_a_layer_without_a_time_field(schools):
    assert schools.where(Filters(datetime="2025-01-01")) == ([], [])


def test_a_date_instant_on_a_date_time_field_is_the_whole_day(accidents):
    where, params = accidents.where(Filters(datetime="2025-01-15"))
    assert where == ['t."occurred_at" >= %s', 't."occurred_at" <= %s']
    assert params == [datetime(2025, 1, 15, tzinfo=UTC), datetime.combine(date(2025, 1, 15), time.max, tzinfo=UTC)]


def test_a_date_time_instant_is_an_equality(accidents):
    where, params = accidents.where(Filters(datetime="2025-01-15T08:00:00Z"))
    assert where == ['t."occurred_at" = %s']
    assert params == [datetime(2025, 1, 15, 8, tzinfo=UTC)]


def test_an_open_interval_has_one_bound(accidents):
    assert accidents.where(Filters(datetime="../2025-01-31")) == (
        ['t."occurred_at" <= %s'], [datetime.combine(date(2025, 1, 31), time.max, tzinfo=UTC)])
    assert accidents.where(Filters(datetime="2025-01-01/..")) == (
        ['t."occurred_at" >= %s'], [datetime(2025, 1, 1, tzinfo=UTC)])


def test_a_date_field_compares_dates(disease_weeks):
    assert disease_weeks.where(Filters(datetime="2025-03-03")) == (['t."week" = %s'], [date(2025, 3, 3)])
    where, params = disease_weeks.where(Filters(datetime="2025-01-01T10:00:00Z/2025-02-01"))
    assert where == ['t."week" >= %s', 't."week" <= %s']
    assert params == [date(2025, 1, 1), date(2025, 2, 1)]


@pytest.mark.parametrize("value", ["garbage", "../..", "2025-03-01/2025-01-01"])
def test_a_bad_datetime_is_a_query_error(accidents, value):
    with pytest.raises(QueryError, match="datetime"):
        accidents.where(Filters(datetime=value))


# ------------------------------------------------------------------ order_by
def test_the_id_always_comes_last_so_pages_are_stable(schools):
    assert schools.order_by(()) == 't."id"'


def test_sort_terms_in_the_order_given(schools):
    order = schools.order_by((Sort("students", descending=True), Sort("name")))
    assert order == 't."students" DESC NULLS LAST, t."name" ASC NULLS LAST, t."id"'


def test_sorting_by_an_unknown_property_is_refused(schools):
    with pytest.raises(QueryError, match="sortby: unknown property"):
        schools.order_by((Sort("students; DROP TABLE layers_school"),))


# ------------------------------------------------------------------ SQL pieces
def test_the_feature_sql_names_only_the_chosen_properties(schools):
    sql = schools.feature_sql(properties=("name",), skip_geometry=True)
    assert "'name', t.\"name\"" in sql
    assert "students" not in sql
    assert "NULL::json" in sql


def test_from_sql_joins_the_commune_when_the_layer_has_one(schools):
    assert schools.from_sql() == "FROM layers_school t LEFT JOIN layers_adminunit c ON c.id = t.commune_id"
    assert LayerQuery(spec("disease-cases-weekly")).from_sql() == "FROM ioc_disease_weekly t"


def test_rows_sql_keeps_values_in_parameters(schools):
    sql, params = schools.rows_sql(Filters(properties=(("name", INJECTION),)))
    assert INJECTION not in sql
    assert params == [INJECTION]
    assert sql.endswith('ORDER BY t."id"')
