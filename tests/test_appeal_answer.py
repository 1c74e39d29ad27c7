"""The unit as respondent: the answer clocks of a reconsideration and a lawsuit, the answer's draft,
the evidence bundle and its check against the records (issue 31)."""

from __future__ import annotations

from requests_helpers import approve_chain, new_request


def replied(gk):
    """A request taken from application to reply, on the real 2025 calendar."""
    rid = str(new_request(gk, submitted="2025-08-01", subject="2025年某路段拓宽工程立项批复")["id"])
    approve_chain(gk, rid, ["draft", "office_head"], on="2025-08-12", outcome="withheld.process_info",
                  proposal=("--reason", "经审查属于过程性信息"))
    gk.ok("request", "reply", rid, "--outcome", "withheld.process_info", "--on", "2025-08-13")
    return rid


def test_reconsideration_answer_clock_counts_working_days_over_national_day(backend, gk, unit):
    unit("yanta")
    rid = replied(gk)
    # the copy received on Friday 26 September 2025, before the National Day holiday (1–8 October;
    # Sunday 28 September and Saturday 11 October are working days): 10 working days end on 16 October
    shown = gk.json("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22",
                    "--copy-received", "2025-09-26")
    (appeal,) = shown["appeals"]
    assert appeal["copy_received"] == "2025-09-26" and appeal["answer_due"] == "2025-10-16"
    clock = shown["clocks"]["appeal_answer"]
    assert clock["due"] == "2025-10-16" and clock["status"] == "open"
    gk.fails("appeal", "answered", rid, "--on", "2025-09-25")  # before the copy came
    shown = gk.json("appeal", "answered", rid, "--on", "2025-10-15")
    assert shown["clocks"]["appeal_answer"]["status"] == "met"
    assert shown["appeals"][0]["answered_on"] == "2025-10-15"
    gk.fails("appeal", "answered", rid, "--on", "2025-10-16", code=3)  # once
    assert gk.json("audit", "verify")["ok"]


def test_lawsuit_defence_period_ending_on_a_holiday_rolls_to_the_next_working_day(backend, gk, unit):
    unit("yanta")
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "lawsuit", "--filed", "2025-09-10")
    # 15 days from 16 September end on 1 October, a holiday: the period ends on 9 October
    shown = gk.json("request", "appeal", rid, "--copy-received", "2025-09-16")
    assert shown["appeals"][0]["answer_due"] == "2025-10-09"
    shown = gk.json("request", "appeal", rid, "--hearing", "2025-11-20", "--head-appeared")
    assert shown["appeals"][0]["hearing_on"] == "2025-11-20" and shown["appeals"][0]["head_appeared"] is True
    shown = gk.json("appeal", "answered", rid, "--on", "2025-10-10")  # a day late
    assert shown["clocks"]["appeal_answer"]["status"] == "late"
    assert gk.json("audit", "verify")["ok"]


def test_the_answer_draft_holds_every_date_from_the_records(gk, unit, tmp_path):
    from gongkai.core.paperwork.render import docx_text

    unit("yanta")
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    out = tmp_path / "答复书.docx"
    gk.ok("appeal", "answer", rid, "--format", "docx", "--out", str(out))
    text = docx_text(out)
    assert "行政复议答复书" in text and "被申请人：测试单位政府办公室" in text and "申请人：张三" in text
    for day in ("2025年8月1日", "2025年8月12日", "2025年8月13日", "2025年8月29日", "2025年9月22日",
                "2025年9月26日", "2025年10月16日"):
        assert day in text, day
    assert "《中华人民共和国行政复议法》第四十八条" in text and "在法定期限内" in text
    assert "经审查属于过程性信息" in text and "请求复议机关依法予以维持" in text
    pdf = tmp_path / "答复书.pdf"
    gk.ok("appeal", "answer", rid, "--format", "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def _sql(statement):
    from sqlalchemy import text

    from gongkai.core.app import App

    app = App()
    with app.district_engine.begin() as c:
        c.execute(text(statement))
    app.engine.dispose()


def _opens_in_libreoffice(pdf, tmp_path, names):
    """LibreOffice opens the bundle (Writer's PDF import) and reads every item's name in it."""
    import subprocess
    import zipfile

    from gongkai.core.paperwork.pdf import soffice

    out = tmp_path / "lo"
    subprocess.run([soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--infilter=writer_pdf_import", "--convert-to", "odt", "--outdir", str(out), str(pdf)],
                   check=True, capture_output=True, timeout=300)
    content = zipfile.ZipFile(out / (pdf.stem + ".odt")).read("content.xml").decode()
    for name in names:
        assert name.split("（")[0] in content, name


def _check_bundle(gk, pdf, manifest, tmp_path):
    """The bundle has the pages the list says, each item starting where it says, numbered through."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) == manifest["pages"] == manifest["catalogue_pages"] + sum(i["pages"] for i in manifest["items"])
    for item in manifest["items"]:
        first = reader.pages[item["start"] - 1].extract_text().replace("\x00", "").replace(" ", "")
        assert item["name"].split("（")[0] in first, item["name"]
    for n, page in enumerate(reader.pages, start=1):
        assert f"—{n}—" in page.extract_text().replace("\x00", "").replace(" ", "")
    catalogue = reader.pages[0].extract_text().replace("\x00", "").replace(" ", "").replace("\n", "")
    assert "证据目录" in catalogue and "证明目的" in catalogue
    _opens_in_libreoffice(pdf, tmp_path, [i["name"] for i in manifest["items"]])


def test_reconsideration_evidence_bundle_checked_against_the_records(backend, gk, unit, tmp_path):
    unit("yanta")
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    folder = tmp_path / "证据"
    manifest = gk.json("appeal", "evidence", rid, "--out", str(folder))
    names = [i["name"] for i in manifest["items"]]
    assert names == ["政府信息公开申请登记表", "政府信息公开申请收到确认书", "政府信息公开申请答复审批表",
                     "政府信息公开申请答复告知书", "办理过程记录（事件日志，北京时间）"]
    assert all(len(i["sha256"]) == 64 for i in manifest["items"])
    assert manifest["chain_head"] == gk.json("audit", "head")["head"]
    pdf = folder / "证据材料.pdf"
    _check_bundle(gk, pdf, manifest, tmp_path)
    assert gk.json("audit", "bundle", str(pdf))["ok"]
    assert gk.json("audit", "bundle", str(folder / "manifest.json"))["ok"]
    gk.ok("appeal", "answered", rid, "--on", "2025-10-15")  # later steps through the log: the bundle still holds
    assert gk.json("audit", "bundle", str(pdf))["ok"]

    _sql(f"UPDATE disclosure_request SET reasons = '改过的理由' WHERE id = {rid}")  # behind the log
    failed = gk.fails("audit", "bundle", str(pdf), code=2)
    assert "第 3 项“政府信息公开申请答复审批表”与数据库中的记录不符" in failed.stderr
    assert "第 4 项“政府信息公开申请答复告知书”与数据库中的记录不符" in failed.stderr
    assert "第 1 项" not in failed.stderr and "第 2 项" not in failed.stderr


def test_lawsuit_evidence_bundle_with_a_period_ending_on_a_holiday(backend, gk, unit, tmp_path):
    unit("yanta")
    rid = replied(gk)
    shown = gk.json("request", "appeal", rid, "--kind", "lawsuit", "--filed", "2025-09-10", "--copy-received", "2025-09-16")
    assert shown["appeals"][0]["answer_due"] == "2025-10-09"  # 1 October, a holiday: the next working day
    answer = tmp_path / "答辩状.docx"
    gk.ok("appeal", "answer", rid, "--format", "docx", "--out", str(answer))
    from gongkai.core.paperwork.render import docx_text

    text = docx_text(answer)
    assert "行政诉讼答辩状" in text and "答辩人：测试单位政府办公室" in text
    for day in ("2025年8月1日", "2025年8月13日", "2025年9月10日", "2025年9月16日", "2025年10月9日"):
        assert day in text, day
    assert "《中华人民共和国行政诉讼法》第六十七条第一款" in text and "驳回原告的诉讼请求" in text
    pdf = tmp_path / "证据材料.pdf"
    manifest = gk.json("appeal", "evidence", rid, "--out", str(pdf))
    _check_bundle(gk, pdf, manifest, tmp_path)
    assert "行政诉讼证据目录" in manifest_text(pdf)
    _dates_whole_in_the_catalogue(pdf, manifest)
    assert gk.json("audit", "bundle", str(pdf))["ok"]
    _sql(f"UPDATE disclosure_request SET submitted = '2025-07-31' WHERE id = {rid}")  # behind the log
    failed = gk.fails("audit", "bundle", str(pdf), code=2)
    assert "第 1 项“政府信息公开申请登记表”与数据库中的记录不符" in failed.stderr
    assert "申请记录与事件日志不符" in failed.stderr


def _dates_whole_in_the_catalogue(pdf, manifest):
    """Issue 31's review: the 证据目录's 日期 column holds "2025年8月12日" on one line, "日" not wrapped."""
    import datetime as dt
    import re

    from pypdf import PdfReader

    days = [dt.date.fromisoformat(i["date"]) for i in manifest["items"] if i["date"]]
    expected = sorted(f"{d.year}年{d.month}月{d.day}日" for d in days)
    assert any(d.day >= 10 for d in days)  # a two-digit day, the widest
    lines = [re.sub(r"\s+", "", line.replace("\x00", "")) for page in PdfReader(str(pdf)).pages[:manifest["catalogue_pages"]]
             for line in page.extract_text().splitlines()]
    rows = lines[lines.index("序号证据名称来源日期页码证明目的") + 1:]  # the table, not the note above it
    found = sorted(d for line in rows for d in re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", line))
    from collections import Counter

    assert not Counter(expected) - Counter(found), (found, expected, rows)  # (证明目的 may cite a date too)


def manifest_text(pdf):
    from pypdf import PdfReader

    return PdfReader(str(pdf)).pages[0].extract_text().replace("\x00", "").replace(" ", "")


def _certificate(folder):
    """A self-signed signing certificate and its key, as a unit would configure them."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试单位政府办公室"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(exist_ok=True)
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def test_a_signed_bundle_is_verified_and_a_changed_file_fails(gk, unit, tmp_path):
    config = unit("yanta")
    _certificate(config.parent / "signing")
    with open(config, "a", encoding="utf-8") as f:
        f.write('\n[signing]\nkey = "signing/key.pem"\ncertificate = "signing/cert.pem"\n')
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    pdf = tmp_path / "证据材料.pdf"
    manifest = gk.json("appeal", "evidence", rid, "--out", str(pdf))
    assert manifest["bundle"]["signed"]
    report = gk.json("audit", "bundle", str(pdf))
    assert report["ok"] and report["signature"]["signed"] and report["signature"]["ok"]
    assert "签名有效" in gk.ok("audit", "bundle", str(pdf)).stdout

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(pdf)))  # the file rewritten: the signature no longer covers it
    writer.add_metadata({"/Title": "改过"})
    changed = tmp_path / "改过.pdf"
    with open(changed, "wb") as f:
        writer.write(f)
    failed = gk.fails("audit", "bundle", str(changed), code=2)
    assert "签名" in failed.stderr


def test_a_corrected_reply_and_its_new_answer_are_shown_in_the_bundle(gk, unit, tmp_path):
    unit("yanta")
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    gk.ok("appeal", "answered", rid, "--on", "2025-10-14")
    gk.ok("request", "appeal", rid, "--result", "纠正", "--decided", "2025-11-20")  # the latest appeal
    gk.ok("request", "reanswer", rid, "--decision-on", "2025-11-20", "--days", "20")
    pdf = tmp_path / "证据材料.pdf"
    manifest = gk.json("appeal", "evidence", rid, "--out", str(pdf))
    (outcomes,) = [i for i in manifest["items"] if i["key"] == "outcomes"]
    assert outcomes["name"] == "行政复议、行政诉讼及其结果记录" and outcomes["date"] == "2025-11-20"
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    text = "".join(reader.pages[outcomes["start"] - 1 + k].extract_text() for k in range(outcomes["pages"])).replace(" ", "")
    for shown in ("纠正", "2025年9月26日", "2025年10月16日", "2025年10月14日", "2025年11月20日", "重新答复"):
        assert shown in text, shown
    # the letter set aside is still evidence: printed as the first reply
    assert [i["key"] for i in manifest["items"]].count("letter.prior.1") == 1
    assert gk.json("audit", "bundle", str(pdf))["ok"]
    gk.fails("appeal", "evidence", rid, "--out", str(pdf))  # an existing file only with --force
    gk.fails("appeal", "evidence", rid, "--out", "-")


def test_the_answer_clock_is_in_the_digest_the_ledger_and_the_duty_calendar(gk, unit, tmp_path):
    unit("yanta")
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    digest = gk.ok("digest").stdout
    assert "复议答复、诉讼答辩及举证" in digest
    ledger = gk.json("ledger")
    row = next(r for r in (ledger["requests"] if isinstance(ledger, dict) else ledger) if str(r["id"]) == rid)
    assert row["clocks"]["appeal_answer"]["due"] == "2025-10-16"
    duties = gk.json("duties", "--year", "2025")
    assert [(c["date"], c["rule"]) for c in duties["clocks"]] == [("2025-10-16", "appeal.reconsideration_answer")]
    ics = tmp_path / "duties.ics"
    gk.ok("duties", "--year", "2025", "--ics", str(ics))
    assert "复议答复、应诉答辩" in ics.read_text(encoding="utf-8")
    gk.ok("appeal", "answered", rid, "--on", "2025-10-15")
    assert gk.json("duties", "--year", "2025")["clocks"] == []  # met: off the calendar
    assert "复议答复、诉讼答辩及举证" not in gk.ok("digest").stdout


def test_the_readme_appeal_commands_run_as_written(gk, unit):
    """The README's block on appeals, line by line, on two replied requests."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## When the applicant appeals"):]
    block = section[section.index("```bash") + len("```bash"):section.index("```", section.index("```bash") + 7)]
    unit("yanta")
    assert (replied(gk), replied(gk)) == ("1", "2")
    lines = [line.split("  #")[0].strip() for line in block.strip().splitlines()]
    assert len(lines) >= 8 and all(re.match(r"gongkai ", line) for line in lines)
    _png(Path("身份证.png"))  # the scan and the delivery receipt the block attaches, in the unit's folder
    _pdf(Path("回执.pdf"), 1)
    for line in lines:
        gk.ok(*shlex.split(line)[1:])
    shown = gk.json("request", "show", "2")["appeals"][0]
    assert (shown["answer_due"], shown["hearing_on"], shown["head_appeared"]) == ("2025-10-09", "2025-11-20", True)
    assert Path("证据-1/证据材料.pdf").is_file() and Path("证据-1/manifest.json").is_file()
    assert Path("答辩状-2.pdf").read_bytes().startswith(b"%PDF")


def test_every_notice_is_an_item_and_the_answer_states_each_step(gk, unit, tmp_path):
    from gongkai.core.paperwork.render import docx_text

    unit("yanta")
    rid = str(new_request(gk, submitted="2025-08-01", subject="某地块征收补偿方案")["id"])
    gk.ok("request", "correct", rid, "--notice-on", "2025-08-05", "--period-days", "10", "--what", "所需信息的文号")
    gk.ok("request", "corrected", rid, "--on", "2025-08-08")
    gk.ok("request", "pause", rid, "--reason", "third_party", "--on", "2025-08-11", "--to", "某置业公司")
    gk.ok("request", "resume", rid, "--on", "2025-08-20")
    gk.ok("request", "extend", rid, "--days", "10", "--approved-by", "赵六", "--on", "2025-09-01", "--reason", "信息量大")
    approve_chain(gk, rid, ["draft", "office_head"], on="2025-09-10", outcome="disclosed")
    gk.ok("request", "reply", rid, "--outcome", "disclosed", "--on", "2025-09-11")
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    out = tmp_path / "答复书.docx"
    gk.ok("appeal", "answer", rid, "--format", "docx", "--out", str(out))
    text = docx_text(out)
    for day in ("2025年8月5日", "2025年8月8日", "2025年8月11日", "2025年8月20日", "2025年9月1日", "2025年9月11日"):
        assert day in text, day
    assert "一次性告知补正" in text and "征求第三方意见所需时间依法不计算在答复期限内" in text and "延长10个工作日" in text
    manifest = gk.json("appeal", "evidence", rid, "--out", str(tmp_path / "证据"))
    keys = [i["key"] for i in manifest["items"]]
    assert keys == ["application", "receipt", "notice.correction", "notice.third_party.1", "notice.extension",
                    "approval", "letter", "timeline"]  # the notices in the order they went out
    assert gk.json("audit", "bundle", str(tmp_path / "证据" / "manifest.json"))["ok"]


def _png(path):
    from PIL import Image

    Image.new("RGB", (600, 800), (250, 250, 240)).save(path)
    return path


def _pdf(path, pages):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(text="EMS proof of delivery")
    path.write_bytes(bytes(pdf.output()))
    return path


def _edit_chunk(sha):
    """A stored file's content changed behind the log (one byte of its first chunk)."""
    from sqlalchemy import text

    from gongkai.core.app import App

    app = App()
    with app.district_engine.begin() as c:
        data = bytes(c.execute(text("SELECT data FROM attachment_chunk WHERE sha256 = :s AND seq = 0"), {"s": sha}).scalar())
        c.execute(text("UPDATE attachment_chunk SET data = :d WHERE sha256 = :s AND seq = 0"),
                  {"d": data[:-1] + bytes([data[-1] ^ 1]), "s": sha})
    app.engine.dispose()


def test_the_bundle_holds_the_scans_the_delivery_and_its_proofs(backend, gk, unit, tmp_path):
    from pypdf import PdfReader

    from gongkai.core.paperwork.render import docx_text

    unit("yanta")
    rid = replied(gk)
    scan = gk.json("request", "attach", rid, str(_png(tmp_path / "身份证.png")), "--kind", "申请材料")
    gk.ok("request", "deliver", rid, "--how", "邮寄", "--on", "2025-08-15", "--tracking", "EMS1234567",
          "--proof", str(_pdf(tmp_path / "回执.pdf", 2)))
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    answer = tmp_path / "答复书.docx"
    gk.ok("appeal", "answer", rid, "--format", "docx", "--out", str(answer))
    text = docx_text(answer)
    # the delivery and the remedies' last days it starts (60 days; 6 months)
    assert "2025年8月15日" in text and "以邮寄方式向申请人送达《答复书》" in text and "EMS1234567" in text
    assert "申请行政复议的期限至2025年10月14日" in text and "提起行政诉讼的期限至2026年2月15日" in text

    pdf = tmp_path / "证据材料.pdf"
    manifest = gk.json("appeal", "evidence", rid, "--out", str(pdf))
    items = {i["name"]: i for i in manifest["items"]}
    assert list(items) == ["政府信息公开申请登记表", "申请材料（身份证.png）", "政府信息公开申请收到确认书",
                           "政府信息公开申请答复审批表", "政府信息公开申请答复告知书", "送达记录", "送达证明（回执.pdf）",
                           "办理过程记录（事件日志，北京时间）"]
    assert items["申请材料（身份证.png）"]["pages"] == 1 and items["送达证明（回执.pdf）"]["pages"] == 2
    assert items["申请材料（身份证.png）"]["sha256"] == (scan.get("sha256") or scan["attachment"]["sha256"])
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == manifest["pages"] == manifest["catalogue_pages"] + sum(i["pages"] for i in manifest["items"])
    proof = items["送达证明（回执.pdf）"]
    assert "EMS proof of delivery" in reader.pages[proof["start"] - 1].extract_text()
    record = reader.pages[items["送达记录"]["start"] - 1].extract_text().replace(" ", "")
    assert "送达记录" in record and "EMS1234567" in record
    assert gk.json("audit", "bundle", str(pdf))["ok"]

    _edit_chunk(items["申请材料（身份证.png）"]["sha256"])  # the stored scan changed behind the log
    failed = gk.fails("audit", "bundle", str(pdf), code=2)
    assert f"第 {items['申请材料（身份证.png）']['number']} 项“申请材料（身份证.png）”与数据库中的记录不符" in failed.stderr
    assert "送达证明" not in failed.stderr


def test_decisions_count_in_the_report_columns_and_a_correcting_one_opens_the_new_answer(gk, unit):
    from gongkai.core.cli.request_cmd import RESULT_CHOICES
    from gongkai.core.requests import appeals

    assert RESULT_CHOICES == appeals.RESULTS
    assert appeals.OVERTURNING == {"纠正", "撤销", "确认违法", "责令履行"}
    assert appeals.REPORTED_AS["驳回"] == "维持"
    unit("yanta")
    rejected, revoked = replied(gk), replied(gk)
    gk.ok("request", "appeal", rejected, "--kind", "reconsideration", "--filed", "2025-09-22",
          "--result", "驳回", "--decided", "2025-11-10")
    gk.ok("request", "appeal", revoked, "--kind", "lawsuit", "--filed", "2025-09-22",
          "--result", "撤销", "--decided", "2025-11-12")
    report = gk.json("report", "annual", "--year", "2025")
    section = report["appeals"]
    assert section["reconsideration"]["upheld"] == 1 and section["reconsideration"]["corrected"] == 0
    assert section["lawsuit"]["corrected"] == 1 and section["lawsuit"]["total"] == 1
    # 撤销 overturns the reply as 纠正 does: a new answer may follow; 驳回 upholds it
    gk.ok("request", "reanswer", revoked, "--decision-on", "2025-11-12", "--days", "20")
    assert "没有结果为纠正" in gk.fails("request", "reanswer", rejected, "--decision-on", "2025-11-10",
                                        "--days", "20").stderr
