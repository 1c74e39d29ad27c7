"""Applicants' ID and phone numbers: validated at intake, masked in outputs and the log, revealed only on request."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from gongkai.core.app import App
from gongkai.core.errors import GongkaiError
from gongkai.core.records.privacy import check_applicant_id, check_digit, mask_id_number, mask_phone, mask_text, \
    validate_resident_id

# GB 11643 example number; its check character is X
EXAMPLE = "11010519491231002X"
# 1 1 0 1 0 1 1 9 9 0 0 3 0 7 7 7 7 weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 = 250; 250 mod 11 = 8 -> "4"
VALID = "110101199003077774"


def test_check_digit_by_hand():
    assert check_digit(VALID[:17]) == "4"
    assert check_digit(EXAMPLE[:17]) == "X"


@pytest.mark.parametrize("number, normalised", [(VALID, VALID), (EXAMPLE, EXAMPLE), (EXAMPLE.lower(), EXAMPLE),
                                                (f" {VALID} ", VALID)])
def test_valid_numbers(number, normalised):
    assert validate_resident_id(number, today=dt.date(2026, 9, 1)) == normalised


@pytest.mark.parametrize(
    "number, words",
    [
        ("110101199003077778", "校验码不符（GB 11643：按前 17 位应为 4）"),
        ("11010119900307777", "应为 18 位"),
        ("1101011990030777744", "应为 18 位"),
        ("11010119900307777A", "非法字符"),
        ("010101199003077774", "非法字符"),  # an address code never starts with 0
        ("110101199002307774", "出生日期“19900230”不是有效日期"),
        ("110101203001017774", "不合理"),  # born in 2030
        ("110101180001017774", "不合理"),  # born in 1800
    ],
)
def test_invalid_numbers_name_the_problem(number, words):
    with pytest.raises(GongkaiError) as err:
        validate_resident_id(number, today=dt.date(2026, 9, 1))
    assert words in str(err.value)
    assert number not in str(err.value)  # the message itself does not leak the number


def test_only_a_natural_persons_digit_number_is_a_resident_id():
    assert check_applicant_id("E12345678", natural_person=True) == "E12345678"  # a passport
    assert check_applicant_id("123100004245011234", natural_person=False) == "123100004245011234"  # 统一社会信用代码
    with pytest.raises(GongkaiError):
        check_applicant_id("123100004245011234", natural_person=True)


def test_masks():
    assert mask_id_number(VALID) == "110***********7774"
    assert mask_id_number("E12345678") == "E12**5678"
    assert mask_id_number("AB1") == "A*1" and mask_id_number("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("电话 021-62345678，手机 15900001111") == "电话 021-****5678，手机 159****1111"
    assert mask_phone("邮箱 a@b.cn") == "邮箱 a@b.cn"
    assert mask_text(f'{{"id": "{VALID}", "n": 12345, "date": "2026-03-02"}}') == \
        '{"id": "110***********7774", "n": 12345, "date": "2026-03-02"}'


def new(gk, *extra, applicant_type="natural_person"):
    return gk("request", "new", "--applicant", "张三", "--applicant-type", applicant_type, "--channel", "in_person",
              "--submitted", "2026-03-02", "--subject", "老旧小区改造资金", *extra)


def test_intake_refuses_a_bad_resident_id(unit, gk):
    unit("changning")
    result = gk.fails("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel",
                      "in_person", "--submitted", "2026-03-02", "--subject", "预算", "--id-number", "110101199003077778")
    assert "校验码不符" in result.stderr and "--id-number" in result.stderr
    assert gk.json("ledger") == []


def test_masked_by_default_revealed_on_request_and_the_reveal_is_logged(unit, gk, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_USER", "承办人甲")
    assert new(gk, "--id-number", VALID, "--contact", "手机 13812345678", "--json").exit_code == 0
    shown = gk.json("request", "show", "1")
    assert shown["applicant_id_number"] == "110***********7774"
    assert shown["applicant_contact"] == "手机 138****5678"
    assert "reveal" not in [e["action"] for e in shown["events"]]
    human = gk.ok("request", "show", "1").stdout
    assert VALID not in human and "13812345678" not in human

    revealed = gk.json("request", "show", "1", "--reveal", "--by", "科长乙")
    assert revealed["applicant_id_number"] == VALID and revealed["applicant_contact"] == "手机 13812345678"
    reveal = [e for e in revealed["events"] if e["action"] == "reveal"]
    assert len(reveal) == 1 and reveal[0]["actor"] == "科长乙"
    # the log never holds the full numbers; the chain still verifies
    app = App()
    with app.district_engine.connect() as c:
        log = " ".join(str(v) for row in c.execute(text("SELECT before, after FROM event")) for v in row)
        stored = c.execute(text("SELECT applicant_id_number, applicant_contact FROM disclosure_request")).one()
    app.engine.dispose()
    assert VALID not in log and "13812345678" not in log
    assert tuple(stored) == (VALID, "手机 13812345678")  # the record itself keeps the full value
    assert gk.json("audit", "verify")["ok"]


def test_import_reports_a_bad_id_by_row(unit, gk, tmp_path):
    unit("changning")
    csv_file = tmp_path / "old.csv"
    csv_file.write_text(
        "申请人,类型,渠道,日期,内容,证件\n"
        f"张三,natural_person,in_person,2026-03-02,预算,{VALID}\n"
        "李四,natural_person,in_person,2026-03-02,决算,110101199003077778\n", encoding="utf-8")
    result = gk("request", "import", str(csv_file), "--map",
                "申请人=applicant,类型=applicant_type,渠道=channel,日期=submitted,内容=subject,证件=id_number", "--json")
    assert result.exit_code == 1  # a row was refused
    report = json.loads(result.stdout)
    assert report["imported"] == 1
    assert report["errors"][0]["row"] == 3 and "校验码不符" in report["errors"][0]["error"]
