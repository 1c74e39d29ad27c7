"""Scoring 西咸新区 附件1 by hand: every cap, each unit, the bonus, averaging, the composite,
the 五原县 bands and the 长宁区 weight. Every expected number is worked out in the comments."""

from __future__ import annotations

import pytest

from gongkai.core.assessment.findings import POINTS, Finding, Findings
from gongkai.core.assessment.rubric import load_scoring
from gongkai.core.assessment.scoring import (
    check_weight,
    composite,
    contribution,
    grade_of,
    ranking,
    score_all,
    score_category,
)
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.law.plugins import load_registry


@pytest.fixture(scope="module")
def xixian():
    return load_scoring(load_registry("xixian"))


def category(scoring, cat_id):
    return next(c for c in scoring.rubric.categories if c.id == cat_id)


def found(cat_id, **counts):
    return [Finding(cat_id, finding, count, "test") for finding, count in counts.items()]


# The full allotment of 附件1 without any finding: deduction categories keep their caps
# 5 + 20 + 20 + 10 + 5 + 10 + 3 + 10 (负面清单) = 83; 公众参与 and 特色创新 start at 0.
CLEAN = 83.0


# (category, findings, points, capped) -- each unit and each cap of 附件1
CASES = [
    # 平台建设: 0.5 per column, at most 5
    ("platform", {"column_not_updated": 3}, 5 - 1.5, False),
    ("platform", {"column_not_updated": 10}, 0.0, False),  # exactly the cap
    ("platform", {"column_not_updated": 11}, 0.0, True),  # 5.5 -> 5
    # “五公开”情况 and 主动公开: 0.5 per item, at most 20
    ("five_public", {"item_not_done": 7}, 20 - 3.5, False),
    ("five_public", {"item_not_done": 41}, 0.0, True),  # 20.5 -> 20
    ("proactive", {"item_not_done": 1}, 19.5, False),
    ("proactive", {"item_not_done": 45}, 0.0, True),
    # 公文公开: 0.5 per item, at most 10
    ("document_disclosure", {"item_not_done": 4}, 8.0, False),
    ("document_disclosure", {"item_not_done": 21}, 0.0, True),  # 10.5 -> 10
    # 回应关切: 0.5 per late reply, at most 5; +0.5 per praise on top
    ("response", {"late_reply": 3}, 3.5, False),
    ("response", {"late_reply": 11}, 0.0, True),
    ("response", {"late_reply": 11, "public_praise": 2}, 0.0 + 1.0, True),
    ("response", {"public_praise": 1}, 5.5, False),
    # 公众参与: 1 per activity, at most 10
    ("participation", {"activity": 4}, 4.0, False),
    ("participation", {"activity": 12}, 10.0, True),
    # 依申请公开: no ledger 0.5, late/overturned 2, at most 10
    ("request", {"no_ledger": 1}, 9.5, False),
    ("request", {"late_or_overturned": 2}, 6.0, False),
    ("request", {"no_ledger": 1, "late_or_overturned": 5}, 0.0, True),  # 0.5 + 10 -> 10
    # 组织保障: 1 each, at most 3
    ("organisation", {"handover_unclear": 1}, 2.0, False),
    ("organisation", {"training_missed": 2}, 1.0, False),
    ("organisation", {"handover_unclear": 1, "training_missed": 2, "rules_not_followed": 1}, 0.0, True),
    # 特色创新: set case by case, at most 10
    ("innovation", {POINTS: 3.5}, 3.5, False),
    ("innovation", {POINTS: 12}, 10.0, True),
    # 负面清单: by the city's standard, at most 10
    ("negative_list", {POINTS: 4}, 6.0, False),
    ("negative_list", {POINTS: 11}, 0.0, True),
]


@pytest.mark.parametrize(("cat_id", "counts", "points", "capped"), CASES)
def test_category_units_and_caps(xixian, cat_id, counts, points, capped):
    score = score_category(category(xixian, cat_id), found(cat_id, **counts))
    assert score.points == pytest.approx(points)
    assert score.capped is capped


def test_category_without_findings_keeps_its_allotment(xixian):
    assert score_category(category(xixian, "five_public"), []).points == 20
    assert score_category(category(xixian, "participation"), []).points == 0
    assert score_category(category(xixian, "innovation"), []).points == 0


def test_findings_behind_the_points(xixian):
    score = score_category(category(xixian, "response"), found("response", late_reply=2, public_praise=1))
    lines = {f.id: f for f in score.findings}
    assert (lines["late_reply"].count, lines["late_reply"].points, lines["late_reply"].bonus) == (2, 1.0, False)
    assert (lines["public_praise"].count, lines["public_praise"].points, lines["public_praise"].bonus) == (1, 0.5, True)
    assert (score.deducted, score.awarded, score.points) == (1.0, 0.5, 4.5)


def findings(unit, kind="year_end", year=2026, not_carried=(), total=None, **by_category):
    items = []
    for cat_id, counts in by_category.items():
        items += found(cat_id, **counts)
    return Findings(unit, year, kind, items=items, not_carried=set(not_carried), total=total, sources=["test"])


def test_total_of_one_assessment(xixian):
    # 83 - 1.5 (platform 3) - 1 (response 2 late) + 0.5 (praise) - 2.5 (request) + 4 (activities) + 3 (innovation)
    [result] = score_all(
        xixian,
        [
            findings(
                "沣东新城",
                platform={"column_not_updated": 3},
                response={"late_reply": 2, "public_praise": 1},
                request={"no_ledger": 1, "late_or_overturned": 1},
                participation={"activity": 4},
                innovation={POINTS: 3},
            )
        ],
    )
    assert result.score == pytest.approx(CLEAN - 1.5 - 1 + 0.5 - 2.5 + 4 + 3) == 85.5
    assert result.grade is None  # 西咸新区 has no grade bands
    assert result.composite is None and result.missing_kinds == ["self", "routine", "peer"]


def test_total_stays_within_full_marks(xixian):
    # 83 + 10 (participation capped) + 10 (innovation capped) + 2 (4 praises) = 105 -> 100
    [result] = score_all(
        xixian,
        [findings("A", participation={"activity": 15}, innovation={POINTS: 10}, response={"public_praise": 4})],
    )
    assessment = result.assessments["year_end"]
    assert (assessment.raw_total, assessment.total, result.score) == (105.0, 100.0, 100.0)


def test_not_carried_takes_the_average_over_several_units(xixian):
    # 公众参与: A 6, B 3, D 9 -> C (not carried) takes (6 + 3 + 9) / 3 = 6.
    # 依申请公开: A 10 - 2 = 8, B 10, C 10 - 4 = 6 -> D (not carried) takes (8 + 10 + 6) / 3 = 8.
    results = score_all(
        xixian,
        [
            findings("A", participation={"activity": 6}, request={"late_or_overturned": 1}),
            findings("B", participation={"activity": 3}),
            findings("C", not_carried=["participation"], request={"late_or_overturned": 2}),
            findings("D", not_carried=["request"], participation={"activity": 9}),
        ],
    )
    by_unit = {r.unit: r for r in results}
    c = {cat.category.id: cat for cat in by_unit["C"].assessments["year_end"].categories}
    assert c["participation"].points == 6.0 and c["participation"].not_carried
    assert c["participation"].averaged_over == ["A", "B", "D"]
    d = {cat.category.id: cat for cat in by_unit["D"].assessments["year_end"].categories}
    assert d["request"].points == 8.0 and d["request"].averaged_over == ["A", "B", "C"]
    # C: 83 - 4 (request) + 6 (participation average) = 85; D: 83 - 10 + 8 + 9 = 90
    assert by_unit["C"].score == 85.0
    assert by_unit["D"].score == 90.0


def test_averaging_is_per_kind(xixian):
    # the year-end average ignores the peer assessment's 10 activities: (2 + 4) / 2 = 3
    results = score_all(
        xixian,
        [
            findings("A", participation={"activity": 2}),
            findings("B", participation={"activity": 4}),
            findings("A", kind="peer", participation={"activity": 10}),
            findings("C", not_carried=["participation"]),
        ],
    )
    c = next(r for r in results if r.unit == "C")
    assert c.score == CLEAN + 3


def test_average_needs_a_unit_that_carries_the_item(xixian):
    with pytest.raises(GongkaiError, match="没有单位承担“公众参与”"):
        score_all(xixian, [findings("C", not_carried=["participation"])])


def test_composite_is_20_20_20_40(xixian):
    # self 90, routine 80, peer 85, year-end 88: 18 + 16 + 17 + 35.2 = 86.2
    totals = {"self": 90.0, "routine": 80.0, "peer": 85.0, "year_end": 88.0}
    assert composite(xixian.composite, totals) == 86.2
    assert composite(xixian.composite, {k: v for k, v in totals.items() if k != "peer"}) is None


def test_composite_from_findings_of_all_four_kinds(xixian):
    # self: 83 + 10 activities = 93; routine: 93 - 3 (platform 6) = 90;
    # peer: 93 - 2 (request 1) = 91; year-end: 93 - 10 (negative list) = 83.
    # 0.2 * 93 + 0.2 * 90 + 0.2 * 91 + 0.4 * 83 = 18.6 + 18 + 18.2 + 33.2 = 88
    act = {"activity": 10}
    results = score_all(
        xixian,
        [
            findings("A", kind="self", participation=act),
            findings("A", kind="routine", participation=act, platform={"column_not_updated": 6}),
            findings("A", kind="peer", participation=act, request={"late_or_overturned": 1}),
            findings("A", kind="year_end", participation=act, negative_list={POINTS: 10}),
        ],
    )
    [a] = results
    assert {k: s.total for k, s in a.assessments.items()} == {"self": 93, "routine": 90, "peer": 91, "year_end": 83}
    assert a.composite == a.score == 88.0
    weighted = {c["id"]: c["points"] for c in a.to_json(xixian.composite)["categories"]}
    # platform: 0.2*5 + 0.2*2 + 0.2*5 + 0.4*5 = 4.4
    assert weighted["platform"] == 4.4
    assert sum(weighted.values()) == pytest.approx(88.0)


@pytest.fixture(scope="module")
def wuyuan():
    return load_scoring(load_registry("wuyuan"))


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (100.0, "优秀"),
        (95.0, "优秀"),
        (94.99, "良好"),
        (85.0, "良好"),
        (84.5, "合格"),
        (75.0, "合格"),
        (74.99, "不合格"),
        (0.0, "不合格"),
    ],
)
def test_wuyuan_band_edges(wuyuan, total, grade):
    assert grade_of(wuyuan.grade, total) == grade
    [result] = score_all(wuyuan, [findings("五原县教育局", total=total)])
    assert result.grade == grade


def test_band_edge_survives_float_sums(wuyuan):
    # 0.1 + 0.2 ... style noise: 94.99999999999999 is 95 in the source's arithmetic
    assert grade_of(wuyuan.grade, 0.2 * 95 * 3 + 0.4 * 95 - 1e-12) == "优秀"


@pytest.fixture(scope="module")
def changning():
    return load_scoring(load_registry("changning"))


def test_changning_weight_below_four_percent_is_refused(changning):
    with pytest.raises(StepRefused, match="第五十四条") as info:
        check_weight(0.039, changning.weight_minimum)
    assert "4%" in str(info.value)
    assert check_weight(0.04, changning.weight_minimum) == 0.04


def test_changning_contribution(changning):
    # 92 of 100 at a 5% weight adds 4.6 points to the district performance assessment
    assert contribution(92.0, 100.0, 0.05) == 4.6
    [result] = score_all(changning, [findings("长宁区教育局", total=92.0)], weight=0.05)
    assert (result.weight, result.contribution) == (0.05, 4.6)
    with pytest.raises(StepRefused):
        score_all(changning, [findings("长宁区教育局", total=92.0)], weight=0.03)


@pytest.mark.parametrize("weight", [0, -0.1, 5, "5%"])
def test_weight_must_be_a_share(changning, weight):
    with pytest.raises(GongkaiError, match="weight"):
        check_weight(weight, changning.weight_minimum)


def test_ranking_shares_ranks_on_ties(wuyuan):
    results = score_all(
        wuyuan,
        [findings("甲", total=90.0), findings("乙", total=96.0), findings("丙", total=90.0), findings("丁", total=70.0)],
    )
    assert [(rank, r.unit) for rank, r in ranking(results)] == [(1, "乙"), (2, "丙"), (2, "甲"), (4, "丁")]
