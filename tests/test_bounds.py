"""Bounded numbers and years (issue 20 item 6): fees computed directly with an upper bound;
inf, nan and absurd values refused; years outside a sane range refused with the range."""

from __future__ import annotations

import attrs
import pytest
from db_snapshot import content_hash

from gongkai.core.app import App
from gongkai.core.errors import GongkaiError
from gongkai.core.records.limits import FEE_PAGES, YEARS
from gongkai.core.law.plugins import load_registry
from gongkai.core.requests import fees
from gongkai.hookspecs.records import FeeBand, FeeSchedule


def schedule(*bands: FeeBand) -> FeeSchedule:
    return attrs.evolve(load_registry("changning").rule("request.fee", FeeSchedule), per_page=bands)


def page_by_page(s: FeeSchedule, pages: int) -> int:
    return sum(fees.band_price(s.per_page, p) for p in range(1, pages + 1))


@pytest.mark.parametrize("pages", [1, 30, 31, 100, 101, 200, 201, 999, 12_345])
def test_the_direct_fee_equals_the_page_by_page_sum(pages):
    official = load_registry("changning").rule("request.fee", FeeSchedule)
    assert fees.per_page_fee(official, pages) == page_by_page(official, pages)
    stepped = schedule(FeeBand(first=1, last=5, price=0), FeeBand(first=6, last=30, price=50),
                       FeeBand(first=31, last=None, price=100, step_every=10, step_price=100))
    assert fees.per_page_fee(stepped, pages) == page_by_page(stepped, pages)


def test_the_largest_page_count_is_computed_at_once_and_one_more_is_refused():
    official = load_registry("changning").rule("request.fee", FeeSchedule)
    # 条例 第四十二条, 国办函〔2020〕109号: 1-30 free, 31-100 10元, 101-200 20元, then 40元 a page
    assert fees.per_page_fee(official, FEE_PAGES) == 70 * 10 + 100 * 20 + (FEE_PAGES - 200) * 40
    with pytest.raises(GongkaiError, match="页数"):
        fees.per_page_fee(official, FEE_PAGES + 1)


@pytest.fixture
def request_unit(unit, gk):
    unit("changning")
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", "老旧小区改造资金")
    gk.ok("document", "decisions", "--year", "2026", "--licensing", "3", "--fees", "1.5")
    return App()


def unchanged(app: App, gk, *args: str, words: str) -> None:
    before = content_hash(app.config.database_url)
    result = gk.fails(*args)
    assert words in result.stderr, result.stderr
    assert content_hash(app.config.database_url) == before


@pytest.mark.parametrize("pages", ["inf", "nan", "-1", "0", "1e9", str(FEE_PAGES + 1), "2000000000000", "abc"])
def test_absurd_page_counts_are_refused(request_unit, gk, pages):
    unchanged(request_unit, gk, "request", "fee", "1", "--method", "per_page", "--pages", pages, words="--pages")


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "-1", "abc"])
def test_absurd_fees_and_counts_are_refused(request_unit, gk, value):
    unchanged(request_unit, gk, "document", "decisions", "--year", "2026", "--fees", value, words="--fees")
    unchanged(request_unit, gk, "document", "decisions", "--year", "2026", "--licensing", value, words="--licensing")
    assert gk.json("document", "decisions", "--year", "2026")


YEAR_COMMANDS = [
    ("ledger",), ("calendar",), ("report", "annual"), ("duties",), ("document", "register"),
    ("document", "decisions"), ("assess", "evaluation", "show"),
]


@pytest.mark.parametrize("year", ["0", "-5", "1989", "2101", "99999", "abc", "2026.5"])
@pytest.mark.parametrize("command", YEAR_COMMANDS, ids=" ".join)
def test_years_outside_the_range_are_refused_with_the_range(request_unit, gk, command, year):
    result = gk.fails(*command, "--year", year)
    assert "--year" in result.stderr
    if year not in ("abc", "2026.5"):
        assert f"{YEARS[0]} 至 {YEARS[1]}" in result.stderr

# inf/nan in assessment files: tests/test_assessment_files.py (BAD_TOML, BAD_RUBRICS)
