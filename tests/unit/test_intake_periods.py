"""Reporting periods and numbers as officers type them (no database)."""

from datetime import date

import pytest

from gis_server.errors import BadRequest
from operations.intake.periods import next_period, parse_period, period_code, period_end, period_start
from operations.intake.validation import parse_number


@pytest.mark.parametrize("kind, day, start, code", [
    ("weekly", date(2026, 11, 26), date(2026, 11, 23), "2026W48"),
    ("weekly", date(2027, 1, 2), date(2026, 12, 28), "2026W53"),
    ("monthly", date(2026, 11, 26), date(2026, 11, 1), "2026-11"),
    ("quarterly", date(2026, 11, 26), date(2026, 10, 1), "2026Q4"),
    ("school_year", date(2026, 11, 26), date(2026, 9, 1), "2026-2027"),
    ("school_year", date(2027, 3, 1), date(2026, 9, 1), "2026-2027"),
    ("yearly", date(2026, 11, 26), date(2026, 1, 1), "2026"),
])
def test_period_start_code_and_parse(kind, day, start, code):
    assert period_start(kind, day) == start
    assert period_code(kind, start) == code
    assert parse_period(kind, code) == start
    assert parse_period(kind, f"{day:%d/%m/%Y}") == start
    assert period_end(kind, start) == next_period(kind, start) - (next_period(kind, start) - period_end(kind, start))


@pytest.mark.parametrize("kind, text", [("weekly", "2026W60"), ("monthly", "2026-13"), ("monthly", "hôm qua"),
                                        ("school_year", "2025-2027"), ("quarterly", "2026Q5")])
def test_a_bad_period_is_a_clear_error(kind, text):
    with pytest.raises(BadRequest, match="không hợp lệ"):
        parse_period(kind, text)


@pytest.mark.parametrize("text, number", [("1.250.000", 1250000), ("92,8", 92.8), ("1.250,5", 1250.5),
                                          ("1250000", 1250000), ("92.8", 92.8), ("1,250,000.5", 1250000.5),
                                          (" 7 ", 7), ("", None), (None, None), (12, 12), ("45 %", 45)])
def test_numbers_as_typed(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["ba", "1.2.3,4,5", "nan", "inf", True])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)
