"""operations.domains: the eleven monitoring domains' declarations, checked without running
their SQL (card figures, series and rankings need the database: tests/integration)."""

import importlib
import re
from numbers import Real

import pytest

from layers.domains import domains
from layers.registry import static_layers, validate
from operations import dashboard
from operations.domain import commune_filter, district_filter, month_label, pct_change, trend_state
from operations.domains import DOMAINS, get_domain

IDS = ["socioeconomic", "public_services", "traffic", "security", "citizen", "health", "education", "land",
       "cyber", "media", "tourism"]
ALL_FILTERS = (None, 7)
PLACEHOLDER_ALIAS = {name: re.search(r"AND (\w+)\.", sql).group(1) for name, sql in dashboard._filters(7).items()}


def module(domain_id):
    return importlib.import_module(f"operations.domains.{domain_id}")


def sqls(d):
    return {"series": d.series.sql, "ranking": d.ranking.sql}


def test_there_are_the_eleven_domains_in_display_order():
    assert [d.id for d in DOMAINS] == IDS


def test_get_domain_finds_each_domain_by_id():
    for d in DOMAINS:
        assert get_domain(d.id) is d
    assert get_domain("weather") is None


def test_each_domain_is_registered_with_its_titles():
    registered = domains()
    for d in DOMAINS:
        assert registered[d.id] == (d.title_vi, d.title_en)


def test_each_domain_module_declares_its_domain():
    for domain_id in IDS:
        assert module(domain_id).DOMAIN.id == domain_id


@pytest.mark.parametrize("domain_id", IDS)
def test_a_domain_has_titles_in_both_languages(domain_id):
    d = get_domain(domain_id)
    assert d.title("vi") == d.title_vi and d.title("en") == d.title_en
    assert d.title_vi and d.title_en


@pytest.mark.parametrize("domain_id", IDS)
def test_a_domain_declares_at_least_one_layer_of_its_own(domain_id):
    d = get_domain(domain_id)
    assert d.layers
    assert {spec.domain for spec in d.layers} == {domain_id}


@pytest.mark.parametrize("domain_id", IDS)
def test_a_domains_card_layers_are_declared_layers(domain_id):
    d = get_domain(domain_id)
    known = {s.id for s in d.layers} | {s.id for s in static_layers()}
    assert d.card_layers
    assert set(d.card_layers) <= known


@pytest.mark.parametrize("domain_id", IDS)
def test_a_domains_layers_are_in_the_registry(domain_id):
    registered = {s.id: s for s in static_layers()}
    for spec in get_domain(domain_id).layers:
        assert registered[spec.id] is spec


@pytest.mark.parametrize("domain_id", IDS)
def test_every_layer_of_a_domain_passes_validation(domain_id):
    assert validate(list(get_domain(domain_id).layers)) == []


def test_the_layers_of_all_domains_together_pass_validation():
    assert validate([spec for d in DOMAINS for spec in d.layers]) == []


@pytest.mark.parametrize("district", ALL_FILTERS)
@pytest.mark.parametrize("domain_id", IDS)
def test_series_and_ranking_sql_format_with_the_dashboard_filters(domain_id, district):
    for what, sql in sqls(get_domain(domain_id)).items():
        formatted = sql.format(**dashboard._filters(district))
        assert "{" not in formatted and "}" not in formatted, what


@pytest.mark.parametrize("domain_id", IDS)
def test_series_and_ranking_can_be_narrowed_to_a_district(domain_id):
    for what, sql in sqls(get_domain(domain_id)).items():
        assert sql.format(**dashboard._filters(7)) != sql.format(**dashboard._filters(None)), what


@pytest.mark.parametrize("domain_id", IDS)
def test_the_only_percent_signs_are_the_district_parameter(domain_id):
    # the formatted SQL runs with {"d": district} as parameters: any other % would be read as one
    for what, sql in sqls(get_domain(domain_id)).items():
        assert "%" not in sql.format(**dashboard._filters(None)), what
        assert "%" not in sql.format(**dashboard._filters(7)).replace("%(d)s", ""), what


@pytest.mark.parametrize("domain_id", IDS)
def test_each_district_placeholder_refers_to_a_table_alias_of_its_query(domain_id):
    for what, sql in sqls(get_domain(domain_id)).items():
        for name in re.findall(r"\{(\w+)\}", sql):
            alias = PLACEHOLDER_ALIAS[name]
            assert re.search(rf"\b(?:FROM|JOIN)\s+\w+\s+{alias}\b", sql), f"{what}: {{{name}}} needs alias {alias}"


@pytest.mark.parametrize("domain_id", IDS)
def test_series_and_ranking_have_a_label(domain_id):
    d = get_domain(domain_id)
    assert str(d.series.label) and str(d.ranking.label)


def test_a_ranking_drill_url_takes_the_unit_code():
    for d in DOMAINS:
        if d.ranking.drill_url:
            assert d.ranking.drill_url.format(code="70") != d.ranking.drill_url


@pytest.mark.parametrize("domain_id", IDS)
def test_drill_down_starts_at_the_province(domain_id):
    assert get_domain(domain_id).drill_down[:2] == ("province", "district")


# ------------------------------------------------------------------ thresholds
def constants(domain_id) -> dict:
    return {k: v for k, v in vars(module(domain_id)).items()
            if k.isupper() and isinstance(v, Real) and not isinstance(v, bool)}


@pytest.mark.parametrize("domain_id", IDS)
def test_the_card_state_reads_named_module_constants(domain_id):
    names = module(domain_id).card.__code__.co_names
    used = [k for k in constants(domain_id) if k in names]
    if domain_id == "health":  # red as soon as one commune is over its own threshold (stored per commune)
        assert not used
    else:
        assert used, f"{domain_id}.card has no named threshold"


def test_education_red_is_above_amber():
    from operations.domains import education

    assert education.RED_ABOVE_PUPILS_PER_TEACHER > education.AMBER_ABOVE_PUPILS_PER_TEACHER > 0


def test_public_services_green_is_above_amber():
    from operations.domains import public_services

    assert 100 >= public_services.GREEN_FROM_PCT > public_services.AMBER_FROM_PCT > 0
    assert public_services.CRITICAL_FACTOR > 1
    assert public_services.OVERDUE_LIMIT["district"] > public_services.OVERDUE_LIMIT["commune"] > 0


def test_cyber_green_is_above_amber():
    from operations.domains import cyber

    assert 100 >= cyber.GREEN_FROM_HANDLED_PCT > cyber.AMBER_FROM_HANDLED_PCT > 0
    assert cyber.SPIKE_FACTOR > 1


def test_media_red_is_above_amber():
    from operations.domains import media

    assert media.RED_FROM_NEGATIVE_CHANGE_PCT > media.AMBER_ABOVE_NEGATIVE_CHANGE_PCT > 0
    assert media.ALERT_FACTOR > 1 and media.ALERT_MIN_NEGATIVE > 0


def test_the_other_thresholds_point_the_right_way():
    from operations.domains import citizen, health, land, security, tourism, traffic

    assert citizen.ALERT_MIN_OVERDUE > 0 and citizen.AMBER_BELOW_OVERDUE > 0
    assert traffic.ALERT_MIN_ACCIDENTS > 0 and traffic.CLUSTER_MIN_ACCIDENTS > 0 and traffic.RED_ABOVE_PCT > 0
    assert security.RED_ABOVE_PCT > 0
    assert land.AMBER_BELOW_CONFLICTS > 0
    assert tourism.AMBER_ABOVE_CHANGE_PCT < 0  # a small fall is amber, growth green
    assert health.CRITICAL_FACTOR > 1


# ------------------------------------------------------------------ the shared helpers
@pytest.mark.parametrize(("change", "state"), [(None, "grey"), (25.0, "red"), (10.0, "amber"), (0.5, "amber"),
                                               (0.0, "green"), (-30.0, "green")])
def test_trend_state_of_a_count_where_up_is_bad(change, state):
    assert trend_state(change, red_above=10) == state


def test_trend_state_with_an_amber_margin():
    assert trend_state(3.0, red_above=10, amber_above=5) == "green"
    assert trend_state(6.0, red_above=10, amber_above=5) == "amber"


@pytest.mark.parametrize(("now", "before", "change"), [(110, 100, 10.0), (50, 200, -75.0), (1, 3, -66.7),
                                                       (None, 100, None), (10, 0, None), (10, None, None)])
def test_pct_change(now, before, change):
    assert pct_change(now, before) == change


def test_month_label():
    from datetime import date

    assert month_label(date(2025, 3, 1)) == "03/2025"
    assert month_label(None) == "–"


def test_district_and_commune_filters_are_parameterised():
    assert district_filter("t.unit_id", None) == ("", [])
    assert commune_filter("t.commune_id", None) == ("", [])
    sql, params = district_filter("t.unit_id", 7)
    assert "t.unit_id IN" in sql and "7" not in sql and params == [7, 7]
    sql, params = commune_filter("t.commune_id", 7)
    assert "t.commune_id IN" in sql and "7" not in sql and params == [7]


def test_dashboard_filters_cover_every_placeholder_name():
    assert set(dashboard._filters(None)) == set(dashboard.FILTER_NAMES) == set(dashboard._filters(7))
    assert all(v == "" for v in dashboard._filters(None).values())


def test_card_layers_shown_are_those_the_user_may_read():
    traffic = get_domain("traffic")
    assert dashboard.visible_card_layers(traffic, {"traffic-accidents", "schools"}) == ["traffic-accidents"]
    assert dashboard.readable_domain(domain_id="traffic", readable={"schools"}) is None
    assert dashboard.readable_domain(domain_id="traffic", readable={"traffic-cameras"}) is traffic
    assert dashboard.readable_domain(domain_id="weather", readable={"schools"}) is None
