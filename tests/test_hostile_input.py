"""Hostile input: random dates, numbers, ID numbers and text never produce a traceback or a broken row."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from gongkai.core.records import limits
from gongkai.core.app import App
from gongkai.core.cli import cli

PROFILE = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# text as staff or a pasted file might give it: any Unicode, control characters, lone surrogates, long runs
hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=20),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\ud800", "'; DROP TABLE event; --", "{{ 7*7 }}", "<script>",
                     "　", "\u202e", "A" * (limits.SUBJECT_CHARS + 1)]),
)
hostile_date = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.text(max_size=12),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "10000-01-01", "2026/03/02",
                     "-1", "2026-3-2", "２０２６-03-02"]),
)
hostile_number = st.one_of(st.integers(), st.integers(min_value=-10, max_value=400),
                           st.sampled_from([0, -1, 2**31, 2**63, 10**30]))
id_digits = st.text("0123456789Xx", min_size=0, max_size=20)


def invoke(*args):
    """Run the CLI in-process; any exception other than a clean exit is a failure here."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"gongkai {args!r} crashed: {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.stderr.strip(), f"gongkai {args!r} failed without saying why"
    return result


def assert_consistent() -> None:
    """Every stored request is whole and the event chain verifies."""
    from gongkai.core.records.chain import verify

    app = App()
    with app.district_engine.connect() as c:
        requests = c.execute(text("SELECT count(*) FROM disclosure_request")).scalar()
        received = c.execute(text("SELECT count(DISTINCT subject_id) FROM event WHERE action = 'receive'")).scalar()
        clocks = c.execute(text("SELECT count(*) FROM deadline WHERE owner_kind = 'request' AND name = 'reply'")).scalar()
    with app.session() as s:
        report = verify(s)
    app.engine.dispose()
    assert requests == received == clocks
    assert report["ok"], report


@pytest.fixture
def changning(unit):
    unit("changning")
    invoke("db", "upgrade")


@pytest.fixture
def changning_on(backend, changning):
    """The unit on SQLite and on PostgreSQL (which enforces column widths SQLite ignores)."""
    return backend


@PROFILE
@given(applicant=hostile_text, subject=hostile_text, contact=hostile_text, form=hostile_text,
       submitted=hostile_date, confirmed=st.none() | hostile_date, id_number=hostile_text | id_digits,
       applicant_type=st.sampled_from(["natural_person", "commercial", "自然人"]) | hostile_text,
       channel=st.sampled_from(["in_person", "online", "post_ordinary"]) | hostile_text)
def test_request_intake(changning_on, applicant, subject, contact, form, submitted, confirmed, id_number,
                        applicant_type, channel):
    args = ["request", "new", "--applicant", applicant, "--applicant-type", applicant_type, "--channel", channel,
            "--submitted", submitted, "--subject", subject, "--contact", contact, "--form", form,
            "--id-number", id_number, "--json"]
    if confirmed is not None:
        args += ["--confirmed", confirmed]
    invoke(*args)
    assert_consistent()


@PROFILE
@given(days=hostile_number, on=hostile_date, period=hostile_number, within=hostile_number, year=hostile_number,
       note=hostile_text)
def test_steps_on_a_request(changning, days, on, period, within, year, note):
    invoke("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
           "--submitted", "2026-03-02", "--subject", "预算")
    invoke("request", "extend", "1", "--days", days, "--approved-by", note or "主任", "--on", on)
    invoke("request", "correct", "1", "--notice-on", on, "--period-days", period)
    invoke("request", "pause", "1", "--reason", "third_party", "--on", on, "--note", note)
    invoke("request", "show", "1", "--as-of", on)
    invoke("ledger", "--due-within", within, "--json")
    invoke("ledger", "--year", year, "--as-of", on, "--json")
    assert_consistent()


@PROFILE
@given(start=hostile_date, rule=st.sampled_from(["request.reply", "request.correction_notice"]) | hostile_text)
def test_deadline_and_calendar_queries(unit, start, rule):
    unit("changning")
    invoke("deadline", rule, "--start", start, "--json")
    invoke("calendar", start)


@PROFILE
@given(number=id_digits)
def test_resident_id_validation_never_crashes(number):
    from gongkai.core.errors import GongkaiError
    from gongkai.core.records.privacy import validate_resident_id

    try:
        assert len(validate_resident_id(number)) == 18
    except GongkaiError as exc:
        assert "居民身份证号码" in str(exc)


def test_a_10_mb_subject_is_refused_with_the_limit(changning, gk):
    result = gk.fails("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel",
                      "in_person", "--submitted", "2026-03-02", "--subject", "字" * 10_000_000)
    assert "超过上限 10,000 个字符" in result.stderr and "--subject" in result.stderr
    assert gk.json("ledger") == []


def test_a_million_row_import_is_refused_before_any_write(changning, gk, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("申请人,类型,渠道,日期,内容\n")
        fh.writelines("张三,natural_person,in_person,2026-03-02,预算\n" for _ in range(1_000_000))
    result = gk.fails("request", "import", str(big), "--map",
                      "申请人=applicant,类型=applicant_type,渠道=channel,日期=submitted,内容=subject")
    assert "超过一次导入的上限 200,000 行" in result.stderr and "拆分" in result.stderr
    assert gk.json("ledger") == []


def test_an_oversized_csv_cell_is_a_row_error_not_a_crash(changning, gk, tmp_path):
    from gongkai.core.requests.importer import CHUNK

    good = CHUNK + 1  # more than one chunk of the checking process before the bad row
    bad = tmp_path / "cell.csv"
    bad.write_text("申请人,类型,渠道,日期,内容\n" + "".join(f"张三,natural_person,in_person,2026-03-02,预算{i}\n" for i in range(good))
                   + f"李四,natural_person,in_person,2026-03-02,{'字' * (limits.IMPORT_CELL_CHARS + 1)}\n"
                   + "王五,natural_person,in_person,2026-03-02,预算\n", encoding="utf-8")
    result = gk.fails("request", "import", str(bad), "--map",
                      "申请人=applicant,类型=applicant_type,渠道=channel,日期=submitted,内容=subject")
    assert f"第 {good + 2} 行无法读取" in result.stderr and f"已保存 {good:,} 件" in result.stderr
    assert len(gk.json("ledger")) == good  # as the message says: every row before it, none after
    assert gk.json("audit", "verify")["ok"]
