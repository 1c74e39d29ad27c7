"""Letters and notices printed to PDF by the real LibreOffice, checked from the PDF itself:
A4 paper, page count, the 文号 with the unit's 机关代字, each notice's legally required text,
and Chinese fonts resolved (embedded CJK faces, text extractable).

All documents are written first and converted in one ``soffice`` run (module fixture), so the
suite starts LibreOffice once for all of them."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from gongkai.core.paperwork import pdf, word
from gongkai.core.app import App
from gongkai.core.reports import annual, output
from gongkai.core.requests import clock, fees, intake, letters, notices
from report_ledger import built_ledger  # noqa: F401 (fixture)

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")

PREFIX = "长住建信"
LINE = "政府信息公开申请答复告知书依照条例第三十三条规定办理完毕"  # 28 characters
A4 = (595.3, 841.9)  # points
NOTICE_OPTIONS = {
    "receipt": {},
    "correction": {"what": "请写明所需信息的名称、文号或者便于查询的其他特征性描述"},
    "extension": {"reason": "需要调取的档案数量较多"},
    "third_party_opinion": {"to": "某建筑工程有限公司"},
    "third_party_disclosure": {"to": "某建筑工程有限公司", "reason": "该工程资金使用涉及重大公共利益",
                               "on": dt.date(2026, 4, 20)},
    "fee": {"payment": "通过非税收入缴款码缴纳", "on": dt.date(2026, 4, 1)},
}
# What each notice must say (条例 第三十至三十三、四十二条; 国办函〔2020〕109号).
REQUIRED = {
    "receipt": ["收到确认书", "2026年3月2日", "双方确认之日为收到申请之日", "收到申请的日期为2026年3月4日", "20个工作日内"],
    "correction": ["补正告知书", "需要补正的事项", "所需信息的名称、文号", "10个工作日内", "视为放弃申请",
                   "答复期限自本机关收到补正的申请之日起计算"],
    "extension": ["延期答复告知书", "政府信息公开工作机构负责人", "延长10个工作日", "第三十三条"],
    "third_party_opinion": ["征求第三方意见书", "某建筑工程有限公司", "15个工作日内", "逾期未提出意见的", "第三十二条"],
    "third_party_disclosure": ["公共利益造成重大影响", "决定予以公开", "决定公开的理由", "该工程资金使用涉及重大公共利益",
                               "第三十二条"],
    "fee": ["收费通知书", "国办函〔2020〕109号", "人民币200元", "按量计收", "通过非税收入缴款码缴纳",
            "20个工作日内缴纳", "视为放弃申请"],
}
MARKS = {k: notices.KINDS[k].mark for k in NOTICE_OPTIONS}


def _request_with_every_notice(app):
    """One request through correction, consultation, extension and a fee: every notice applies."""
    with app.session() as session:
        req = intake.receive(session, app, applicant="王五", applicant_type="natural_person", channel="post_ordinary",
                             submitted=dt.date(2026, 3, 2), confirmed=dt.date(2026, 3, 4),
                             subject="某小区加装电梯工程的资金使用情况")
        clock.notify_correction(session, app, req, dt.date(2026, 3, 6), 10)
        clock.corrected(session, app, req, dt.date(2026, 3, 12))
        clock.pause(session, app, req, "third_party", dt.date(2026, 3, 16))
        clock.resume(session, app, req, dt.date(2026, 3, 25))
        clock.extend(session, app, req, 10, "赵主任", dt.date(2026, 4, 10))
        fees.charge(session, app, req, "per_page", 50)
        return req.id


def _signed_form(folder, out):
    """五原县's 审批表 after the three 保密审查 points and the route were signed."""
    from conftest import Cli, write_config

    folder.mkdir()
    config = str(write_config(folder, "wuyuan"))
    gk = Cli()
    run = lambda *args: gk.ok("--config", config, *args)  # noqa: E731
    run("document", "new", "--title", "关于某项工作的通知", "--number", "五政发〔2026〕1号", "--kind", "其他",
        "--attribute", "主动公开", "--finalised", "2026-09-24", "--producer", "县政府办公室", "--handler", "张经办")
    step = ("document", "review", "1", "--decision", "approve")
    run(*step, "--step", "on_formation", "--by", "文书甲", "--opinion", "公开", "--basis", "不涉及国家秘密",
        "--on", "2026-09-24")
    run(*step, "--step", "before_publication", "--by", "公开乙", "--opinion", "公开", "--basis", "已脱敏",
        "--on", "2026-09-25")
    run(*step, "--step", "confidentiality", "--by", "保密丙", "--head", "分管丁", "--on", "2026-09-25")
    run(*step, "--step", "approval", "--by", "局长戊", "--comment", "同意公开", "--on", "2026-09-26")
    run("document", "form", "1", "--format", "docx", "--out", str(out))
    return out


def _xixian_form(folder, out):
    """西咸新区's 审批表 (附件2) approved and published: its dates stand in a narrow column."""
    from conftest import Cli, write_config

    folder.mkdir()
    config = str(write_config(folder, "xixian"))
    gk = Cli()
    run = lambda *args: gk.ok("--config", config, *args)  # noqa: E731
    run("document", "new", "--title", "关于开展某项工作的通知", "--number", "西咸管发〔2026〕3号", "--kind", "其他",
        "--attribute", "主动公开", "--finalised", "2026-09-24", "--producer", "西咸新区党政办公室", "--handler", "张经办",
        "--interpretation", "政策解读材料")
    step = ("document", "review", "1", "--decision", "approve", "--on", "2026-09-25")
    run(*step, "--step", "confidentiality", "--by", "李保密", "--head", "王分管")
    run(*step, "--step", "content", "--by", "赵审查", "--head", "钱分管")
    run(*step, "--step", "approval", "--by", "孙主任", "--comment", "同意公开")
    run("document", "publish", "1", "--on", "2026-09-28", "--channel", "政府网站", "--by", "周发布")
    run("document", "form", "1", "--format", "docx", "--out", str(out))
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory, built_ledger):
    """Every letter and notice kind as .docx, then all printed to PDF in one LibreOffice run."""
    from conftest import write_config
    from test_requests_letters import replied

    folder = tmp_path_factory.mktemp("paperwork")
    app = App(str(write_config(folder, "changning", letter_prefix=PREFIX)))
    docx = folder / "docx"
    sources = {}
    request_id = _request_with_every_notice(app)
    from gongkai.core.requests import workflow

    with app.session() as session:
        req = workflow.load(session, request_id)
        for kind, options in NOTICE_OPTIONS.items():
            sources[kind] = notices.write_notice(session, app, req, kind, "docx", docx / f"{kind}.docx", options)
    for outcome in ("partial", "withheld.administrative_query", "other.other"):
        req = replied(app, outcome)
        with app.session() as session:
            sources[outcome] = letters.write_letter(session, app, workflow.load(session, req.id), "docx",
                                                    docx / f"{outcome}.docx")
    report_app = App(str(built_ledger / "gongkai.toml"))  # the report's ledger (tests/report_ledger.py)
    data = annual.build(report_app, 2026)
    data["date"] = "2027-01-20"
    sources["report"] = output.write(report_app.registry.template_dirs, data, "docx", docx / "report.docx")
    for n in (6, 8, 10, 11):  # 总体情况 of n paragraphs: section 二 breaks across the page at different rows
        data["narrative"] = {**data["narrative"], "一": "\n\n".join(["本年度本机关认真贯彻落实条例，各项工作有序推进。"] * n)}
        sources[f"report_{n}"] = output.write(report_app.registry.template_dirs, data, "docx", docx / f"report_{n}.docx")
    sources["form"] = _signed_form(folder / "wuyuan", docx / "form.docx")
    sources["xixian_form"] = _xixian_form(folder / "xixian", docx / "xixian_form.docx")
    sources["grid"] = word.write_docx("\n\n".join([LINE * 2] + [LINE[:26]] * 30), docx / "grid.docx")
    made = pdf.convert(list(sources.values()), folder / "pdf")
    return {"app": app, "request_id": request_id, "sources": sources, **{name: path for name, path in zip(sources, made)}}


def pdf_text(path, page_numbers=False) -> str:
    """The PDF's text with the line breaks and the spaces pdf extraction puts around digits removed
    (and the page numbers, which fall inside a paragraph running over a page)."""
    reader = pypdf.PdfReader(str(path))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    return text if page_numbers else re.sub(r"—\d+—", "", text)


def pdf_fonts(path) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def assert_printed_like_a_letter(path, max_pages=2):
    reader = pypdf.PdfReader(str(path))
    assert 1 <= len(reader.pages) <= max_pages
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == A4
    cjk = [f for f in pdf_fonts(path) if re.search(r"CJK|WenQuanYi|Hei|Song|Kai|Fang|Ming", f, re.I)]
    assert cjk, f"no Chinese font embedded: {pdf_fonts(path)}"


@pytest.mark.parametrize("kind", list(NOTICE_OPTIONS))
def test_each_notice_prints_on_a4_with_its_required_content(printed, kind):
    path = printed[kind]
    assert_printed_like_a_letter(path)
    text = pdf_text(path)
    for phrase in REQUIRED[kind]:
        assert phrase in text, (kind, phrase)
    assert f"{PREFIX}{MARKS[kind]}〔2026〕{printed['request_id']}号" in text
    assert "—1—" in pdf_text(path, page_numbers=True)  # the page number, "— 1 —"
    assert "测试单位政府办公室" in text


@pytest.mark.parametrize("outcome", ["partial", "withheld.administrative_query", "other.other"])
def test_reply_letters_print_with_the_prefixed_number_and_numbered_remedies(printed, outcome):
    path = printed[outcome]
    assert_printed_like_a_letter(path)
    text = pdf_text(path)
    assert re.search(rf"{PREFIX}〔2026〕\d+号", text)
    assert "1.如对本答复不服" in text and "2." in text
    assert "•" not in text  # numbered, never bullets


def test_no_letter_prints_an_empty_legal_basis(printed):
    # a 行政查询 refusal cites 第三十六条（三）, as every refusal (issue 32 item 11)
    assert "法律依据：《中华人民共和国政府信息公开条例》第三十六条第（三）项" in pdf_text(printed["withheld.administrative_query"])
    for outcome in ("other.other",):
        text = pdf_text(printed[outcome])
        assert "法律依据：" not in text, outcome
    assert "法律依据：《中华人民共和国政府信息公开条例》第三十七条" in pdf_text(printed["partial"])


def test_administrative_query_letter_is_consistent_with_how_the_report_counts_it(printed):
    text = pdf_text(printed["withheld.administrative_query"])
    assert "行政查询事项" in text and "不予公开" in text
    assert "不作为政府信息公开申请处理" not in text
    # counted as 不予公开 (row （三）8): reconsideration first, no direct lawsuit
    assert "应当先向行政复议机关申请行政复议" in text and "6个月内" not in text


def test_pdf_from_the_cli(printed, gk, unit, tmp_path):
    """`request letter --format pdf` and `request notice --format pdf` go through LibreOffice."""
    from requests_helpers import new_request

    unit("yanta", letter_prefix="雁信")
    rid = new_request(gk)["id"]
    gk.ok("request", "notice", rid, "--kind", "receipt", "--format", "pdf", "--out", "回执.pdf")
    assert_printed_like_a_letter(tmp_path / "回执.pdf")
    assert f"雁信收〔2026〕{rid}号" in pdf_text(tmp_path / "回执.pdf")


def test_missing_libreoffice_is_a_clear_chinese_error(gk, unit, monkeypatch):
    from requests_helpers import new_request

    unit("yanta")
    rid = new_request(gk)["id"]
    monkeypatch.setenv(pdf.ENV_SOFFICE, "/nonexistent/soffice")
    result = gk.fails("request", "notice", rid, "--kind", "receipt", "--format", "pdf", "--out", "x.pdf")
    assert "LibreOffice" in result.stderr and "libreoffice-writer-nogui" in result.stderr


def test_notice_refused_before_its_step(gk, unit):
    from requests_helpers import new_request

    unit("yanta")
    rid = new_request(gk)["id"]
    for kind in ("correction", "extension", "fee"):
        result = gk.fails("request", "notice", rid, "--kind", kind, "--format", "md", "--out", "x.md", "--what", "某事项",
                          "--payment", "现金", "--on", "2026-03-05")
        assert "请先用" in result.stderr
    assert "--to" in gk.fails("request", "notice", rid, "--kind", "third_party_opinion", "--format", "md",
                              "--out", "x.md", "--on", "2026-03-05").stderr


def test_annual_report_prints_section_three_on_one_landscape_page(printed):
    reader = pypdf.PdfReader(str(printed["report"]))
    sizes = [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages]
    landscape = [i for i, size in enumerate(sizes) if size == A4[::-1]]
    assert len(landscape) == 1, sizes  # section 三, whole, on one landscape page
    assert all(size == A4 for i, size in enumerate(sizes) if i not in landscape)
    page = re.sub(r"\s+", "", reader.pages[landscape[0]].extract_text())
    for label in ("三、收到和处理政府信息公开申请情况", "申请人情况", "法人或其他组织", "商业企业",
                  "一、本年新收政府信息公开申请数量", "三、本年度办理结果", "（三）不予公开", "1.属于国家秘密",
                  "（七）总计", "四、结转下年度继续办理"):
        assert label in page, label
    assert "法人或其他组织·商业企业" not in page  # the two-level header is drawn, not flattened
    assert "四、政府信息公开行政复议" not in page  # section 四 returns to portrait
    text = pdf_text(printed["report"])
    assert text.endswith("测试单位政府办公室2027年1月20日")  # the unit and the date at the end
    cjk = [f for f in pdf_fonts(printed["report"]) if re.search(r"CJK|WenQuanYi", f)]
    assert cjk


def test_approval_form_prints_what_was_signed(printed):
    assert_printed_like_a_letter(printed["form"], max_pages=1)
    text = pdf_text(printed["form"])
    for value in ("政务信息公开审批表", "信息产生机构", "县政府办公室", "经办人", "张经办",
                  "公文类政府信息形成时保密审查", "意见：公开，依据：不涉及国家秘密；审查人：文书甲；日期：2026-09-24",
                  "主动公开政府信息前的保密审查", "审查人：公开乙",
                  "签字：保密丙、分管丁", "同意公开；签字：局长戊；日期：2026-09-26"):
        assert value in text, value
    assert "依申请提供政府信息的保密审查" not in text  # a request's review, not a row left blank here


def test_type_area_holds_22_lines_of_28_characters(printed):
    """GB/T 9704-2012 5.2.4: a paragraph of 56 characters fills two lines (26 after the two-character
    indent, then 28), and the first page holds 22 lines."""
    assert len(LINE) == 28
    page = pypdf.PdfReader(str(printed["grid"])).pages[0].extract_text()
    lines = [re.sub(r"\s+", "", line) for line in page.splitlines()]
    body = [line for line in lines if line and not re.fullmatch(r"—\d+—", line)]
    assert [len(line) for line in body[:3]] == [26, 28, 2]
    assert len(body) == 22


def test_the_fee_notice_states_the_tiered_rates_once(printed):
    """Issue 32 item 18: the standard is the method and its tiers, not the method twice."""
    text = pdf_text(printed["fee"])
    assert "收费标准：按量计收，30页以下（含）不收费；31—100页每页10元；101—200页每页20元；201页以上每页40元；" in text
    assert "本次提供的信息共50页" in text
    assert "按量计收（按量计收" not in text


def test_document_properties_name_the_unit_and_the_real_date(printed, tmp_path):
    """Issue 32 item 21: not "python-docx" and 2013, in the .docx or the PDF printed from it."""
    import docx

    from gongkai.core.requests import workflow

    app = printed["app"]
    with app.session() as session:
        req = workflow.load(session, printed["request_id"])
        path = notices.write_notice(session, app, req, "receipt", "docx", tmp_path / "r.docx", {})
    props = docx.Document(str(path)).core_properties
    assert props.author == "测试单位政府办公室" and props.last_modified_by == "测试单位政府办公室"
    assert "python-docx" not in (props.comments or "") and props.created.year >= 2026
    assert abs((dt.datetime.now(dt.timezone.utc) - props.created.replace(tzinfo=dt.timezone.utc)).total_seconds()) < 600
    info = pypdf.PdfReader(str(printed["receipt"])).metadata
    assert info.author == "测试单位政府办公室"
    assert "python-docx" not in str(dict(info)) and "2013" not in str(info.get("/CreationDate", ""))


def test_page_breaks_a_clerk_would_not_retouch(printed):
    """Issue 32 item 16: the report's title breaks between words; a lead-in ending in "：" and a
    table's heading rows stay with what follows; no table row is cut by a page."""
    import docx

    first = pypdf.PdfReader(str(printed["report"])).pages[0].extract_text().splitlines()
    title = [line.replace(" ", "") for line in first[:3]]
    assert title[0] == "测试单位政府办公室" and title[1].startswith("2026年政府信息公开工作年度报告"), title
    sources = printed["sources"]
    letter = docx.Document(str(sources["partial"]))
    lead_ins = [p for p in letter.paragraphs if p.text.strip().endswith("：") and p.text.strip() != letter.paragraphs[0].text]
    assert any("救济" in p.text for p in lead_ins)
    assert all(p.paragraph_format.keep_with_next for p in lead_ins if "救济" in p.text)
    report = docx.Document(str(sources["report"]))
    table = report.tables[0]
    assert all(row._tr.trPr is not None and row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None
               for row in table.rows)


@pytest.mark.parametrize("kind", ["receipt", "third_party_opinion", "extension"])
def test_short_notices_print_on_one_page(printed, kind):
    """Issue 32 item 16: the receipt and the third-party opinion letter, which ran three to six
    lines onto a second page, print on one; a letter that fits keeps 22 lines a page (GB/T 9704
    5.2.4), one that would spill a few lines is set tighter ("特定情况可以作适当调整")."""
    reader = pypdf.PdfReader(str(printed[kind]))
    assert len(reader.pages) == 1, kind
    text = pdf_text(printed[kind])
    assert text.endswith("测试单位政府办公室2026年" + {"receipt": "3月4日", "third_party_opinion": "3月16日",
                                                       "extension": "4月10日"}[kind])


def test_a_letter_that_fits_keeps_the_standard_grid_and_a_long_one_is_not_squeezed():
    blocks = word._blocks("# 单位\n# 标题\n\n:: 某〔2026〕1号\n\n张三：\n\n" + "正文" * 20 + "\n\n=> 单位\n=> 2026年3月4日")
    assert word.fitted_pitch(blocks) == word._line_pitch()
    long = word._blocks("\n\n".join(["正文" * 14] * 40))
    assert word.fitted_pitch(long) == word._line_pitch()  # 40 lines: two pages at 22 lines, not one squeezed
    spill = word._blocks("# 单位\n# 标题\n\n:: 某〔2026〕1号\n\n张三：\n\n" + "\n\n".join(["正文" * 40] * 5)
                         + "\n\n=> 单位\n=> 2026年3月4日")
    assert word.TYPE_HEIGHT_PT / word.MOST_LINES <= word.fitted_pitch(spill) < word._line_pitch()


@pytest.mark.parametrize("form", ["form", "xixian_form"])
def test_approval_form_dates_never_wrap_inside(printed, form):
    """Issue 32 item 19: "2026-09-25" printed whole on one line, in 西咸新区's narrow date column too."""
    from gongkai.core.paperwork.render import docx_text

    dates = re.findall(r"\d{4}-\d{2}-\d{2}", docx_text(printed["sources"][form]))
    assert len(dates) >= 3
    lines = [re.sub(r"\s+", "", line) for page in pypdf.PdfReader(str(printed[form])).pages
             for line in page.extract_text().splitlines()]
    assert sorted(d for line in lines for d in re.findall(r"\d{4}-\d{2}-\d{2}", line)) == sorted(dates), lines
    assert_printed_like_a_letter(printed[form], max_pages=1)


def test_section_two_never_ends_a_page_with_a_heading_row(printed):
    """Issue 32 item 16: wherever section 二's table breaks, a heading row (第二十条第（…）项, 信息内容…)
    is printed with the data under it, never alone at a page's foot."""
    ends = []
    for n in (6, 8, 10, 11):
        pages = pypdf.PdfReader(str(printed[f"report_{n}"])).pages
        lines = [re.sub(r"\s+", "", line) for line in pages[0].extract_text().splitlines()]
        last = [line for line in lines if line and not re.fullmatch(r"—\d+—", line)][-1]
        ends.append(last)
        assert not re.match(r"(第二十条第|信息内容|二、主动公开)", last), (n, last)
        assert "第二十条第（一）项" in lines  # section 二 starts on page 1
    assert len(set(ends)) > 1, ends  # the page breaks at more than one place
