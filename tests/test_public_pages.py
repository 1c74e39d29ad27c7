"""The public disclosure pages (issue 30): 指南 from the unit's record and the rules in force,
目录 of what is proactively published (never 依申请公开 or 不予公开), 政策解读, the published
annual reports, the district's index, and ``gongkai site build``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from public_support import ON_REQUEST_TITLE, PUBLIC_TITLES, WITHHELD_TITLE, public_unit
from starlette.testclient import TestClient

from gongkai.core.app import App
from gongkai.core.web.app import create_app


def client() -> TestClient:
    return TestClient(create_app(App()), follow_redirects=False)


@pytest.fixture
def office(unit, gk, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-07")
    unit("changning")
    return public_unit(gk)


def test_the_guide_follows_the_contacts_and_the_rules_in_gongkai_toml(unit, gk, monkeypatch):
    config = unit("changning")
    page = client().get("/gk/guide/").text
    assert "尚未登记政府信息公开工作机构的联系方式" in page
    assert "20个工作日" in page and "条例 第三十三条第二款" in page  # the reply period with its citation
    assert "国办函〔2020〕109号" in page and "第三十一条" in page and "第五十一条" in page
    assert "政府信息公开工作机构负责人审批" in page  # the unit's practice: on by default
    gk.ok("unit", "contact", "--office-name", "某某局办公室", "--phone", "021-12345678", "--postcode", "200050")
    page = client().get("/gk/guide/").text
    assert "某某局办公室" in page and "021-12345678" in page and "尚未登记" not in page
    gk.ok("unit", "contact", "--phone", "021-87654321")
    page = client().get("/gk/guide/").text
    assert "021-87654321" in page and "021-12345678" not in page
    config.write_text(config.read_text(encoding="utf-8") + "\n[unit_practice]\noffice_head_approval = false\n",
                      encoding="utf-8")
    assert "政府信息公开工作机构负责人审批" not in client().get("/gk/guide/").text
    # the online form, where the portal has one
    config.write_text(config.read_text(encoding="utf-8") + '\n[public]\napply_url = "https://example.gov.cn/apply"\n',
                      encoding="utf-8")
    assert 'href="https://example.gov.cn/apply"' in client().get("/gk/guide/").text


def test_contacts_are_checked_and_logged(unit, gk):
    unit("changning")
    assert "6 位数字" in gk.fails("unit", "contact", "--postcode", "12345").stderr
    assert "电子邮箱" in gk.fails("unit", "contact", "--email", "not-an-address").stderr
    gk.ok("unit", "contact", "--email", "gk@example.gov.cn")
    assert "没有要修改" in gk.fails("unit", "contact", "--email", "gk@example.gov.cn").stderr
    assert gk.json("unit", "contact")["email"] == "gk@example.gov.cn"
    assert "一致" in gk.ok("audit", "verify").stdout


def test_the_catalogue_lists_only_what_is_published(office, gk):
    c = client()
    page = c.get("/gk/catalogue/").text
    assert all(t in page for t in PUBLIC_TITLES)
    assert WITHHELD_TITLE not in page and ON_REQUEST_TITLE not in page
    assert "（已废止）" in page  # the repealed document says so
    missing = c.get("/gk/documents/999.html")
    for hidden in ("withheld", "on_request"):
        r = c.get(f"/gk/documents/{office[hidden]}.html")
        assert r.status_code == 404 and r.text == missing.text  # the same answer as for a number of nothing
    doc = c.get(f"/gk/documents/{office['notice']}.html").text
    assert "政策解读" in doc and "拓宽工程的背景" in doc and "长某发〔2026〕" in doc and "2026年9月28日" in doc
    assert "（一）行政法规、规章和行政规范性文件" in doc
    repealed = c.get(f"/gk/documents/{office['licensing']}.html").text
    assert "本文件已于2026年10月20日废止" in repealed and "（五）办理行政许可" in repealed
    c1 = c.get("/gk/catalogue/c1/").text
    assert PUBLIC_TITLES[0] in c1 and PUBLIC_TITLES[1] not in c1
    assert all(t in c.get("/gk/catalogue/y2026/").text for t in PUBLIC_TITLES)
    assert c.get("/gk/catalogue/y2025/").status_code == 200
    found = c.get("/gk/catalogue/search/", params={"q": "许可 目录"}).text
    assert PUBLIC_TITLES[1] in found and PUBLIC_TITLES[0] not in found
    assert WITHHELD_TITLE not in c.get("/gk/catalogue/search/", params={"q": "纪要"}).text
    assert c.get("/gk/catalogue/search/", params={"q": "长" * 101}).status_code == 400
    interpretations = c.get("/gk/interpretations/").text
    assert PUBLIC_TITLES[0] in interpretations and PUBLIC_TITLES[1] not in interpretations
    for bad in ("/gk/catalogue/p1.html", "/gk/catalogue/p9.html", "/gk/documents/1/", "/gk/catalogue/c99/", "/gk/catalogue/x/", "/gk/nothing/"):
        assert c.get(bad).status_code == 404, bad
    assert c.get("/gk/guide").status_code == 308  # pages are folders: relative links stay right


def test_published_reports_as_html_and_pdf(office, gk):
    c = client()
    listing = c.get("/gk/reports/").text
    assert "2025年度报告（网页）" in listing and "2026年1月20日" in listing
    html = c.get("/gk/reports/2025/").text
    assert "2025年政府信息公开工作年度报告" in html and "<th" in html and "公布日期：2026年1月20日" in html
    assert "本年度本单位认真贯彻落实" in html and "--narrative" not in html and "本部分未提供文字材料" in html  # no command on a public page
    pdf = c.get("/gk/reports/2025.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert c.get("/gk/reports/2024/").status_code == 404 and c.get("/gk/reports/2024.pdf").status_code == 404
    assert "已公布" in gk.fails("report", "publish", "--year", "2025").stderr
    assert "该年度结束后" in gk.fails("report", "publish", "--year", "2026").stderr
    assert "一致" in gk.ok("audit", "verify").stdout


def test_site_build_writes_the_same_pages_with_relative_links(office, gk, tmp_path):
    out = tmp_path / "site"
    made = gk.json("site", "build", "--out", str(out))
    assert made["documents"] == 2 and made["units"] == 1
    for page in ("index.html", "guide/index.html", "catalogue/index.html", "catalogue/c1/index.html",
                 "catalogue/y2026/index.html", "catalogue/search/index.html", "interpretations/index.html",
                 f"documents/{office['notice']}.html", "reports/index.html", "reports/2025/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text
        links = re.findall(r'(?:href|src|action)="([^"]+)"', text)
        assert links and not [link for link in links if link.startswith("/")], page
        for link in links:  # every link leads to a file that was written
            if link.startswith(("#", "http")):
                continue
            assert (out / page).parent.joinpath(link).resolve().exists(), (page, link)
    assert (out / "reports/2025.pdf").read_bytes().startswith(b"%PDF")
    index = (out / "catalogue/search-index.js").read_text(encoding="utf-8")
    everything = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html")) + index
    assert PUBLIC_TITLES[0] in index and WITHHELD_TITLE not in everything and ON_REQUEST_TITLE not in everything
    assert not (out / f"documents/{office['withheld']}.html").exists()
    assert "--force" in gk.fails("site", "build", "--out", str(out)).stderr
    gk.ok("site", "build", "--out", str(out), "--force")
    (tmp_path / "a-file").write_text("x")
    assert "是文件，不是文件夹" in gk.fails("site", "build", "--out", str(tmp_path / "a-file")).stderr


def test_the_district_index_lists_every_units_pages(tmp_path, gk, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-07")
    gk.ok("init", "--jurisdiction", "xixian", "--district")
    for code, name in (("fga", "西咸新区甲局"), ("fgb", "西咸新区乙局")):
        gk.ok("unit", "add", code, "--name", name)
    gk.ok("--unit", "fga", "unit", "contact", "--phone", "029-11111111")
    c = client()
    index = c.get("/gk/").text
    assert "西咸新区甲局" in index and "西咸新区乙局" in index and 'href="fgb/guide/"' in index
    assert "029-11111111" in c.get("/gk/fga/guide/").text and "029-11111111" not in c.get("/gk/fgb/guide/").text
    assert c.get("/gk/fga/catalogue/").status_code == 200
    assert c.get("/gk/nope/guide/").text == c.get("/gk/fga/documents/5.html").text
    out = tmp_path / "site"
    gk.ok("site", "build", "--out", str(out))
    assert (out / "fga/guide/index.html").exists() and "fgb/index.html" in (out / "index.html").read_text(encoding="utf-8")
    assert 'href="../../static/public.css"' in (out / "fga/guide/index.html").read_text(encoding="utf-8")


def test_the_static_builds_fast_document_pages_are_the_templates_pages(office):
    from gongkai.core.documents import catalogue
    from gongkai.core.web.public_site import DocumentPages, UnitPages

    app = App()
    pages = UnitPages(app, static=True, district=False)
    fast = DocumentPages(pages)
    with app.session() as session:
        documents = list(catalogue.every(session, app.registry, issuer=app.unit.name))
    assert len(documents) == 2
    for doc in documents * 2:  # the second time from the kept skeleton
        assert fast(doc) == pages.document_of(doc)
    doc = {**{k: v for k, v in documents[0].items() if k != "_shown"}, "title": "<script>alert(1)</script>"}
    assert "<script>alert" not in fast(doc) and "&lt;script&gt;" in fast(doc)


def test_a_search_pages_and_stops_counting_at_its_limit(office, monkeypatch):
    from gongkai.core.documents import catalogue

    monkeypatch.setattr(catalogue, "SEARCH_LIMIT", 1)
    monkeypatch.setattr(catalogue, "PER_PAGE", 1)
    c = client()
    first = c.get("/gk/catalogue/search/", params={"q": "长某发"}).text
    assert "超过 1 件" in first and "page=2" not in first
    monkeypatch.setattr(catalogue, "SEARCH_LIMIT", 10)
    c = client()
    first = c.get("/gk/catalogue/search/", params={"q": "长某发"}).text
    assert "共 2 件，第 1 / 2 页" in first and "page=2" in first
    assert "第 2 / 2 页" in c.get("/gk/catalogue/search/", params={"q": "长某发", "page": "2"}).text
    assert c.get("/gk/catalogue/search/", params={"q": "长某发", "page": "3"}).status_code == 404


def test_one_address_may_search_so_often(office, unit):
    config = Path("gongkai.toml")
    config.write_text(config.read_text(encoding="utf-8") + "\n[public]\nsearches_per_minute = 3\n", encoding="utf-8")
    c = client()
    for word in ("许可", "通知", "目录"):
        assert c.get("/gk/catalogue/search/", params={"q": word}).status_code == 200
    refused = c.get("/gk/catalogue/search/", params={"q": "拓宽"})
    assert refused.status_code == 429 and "检索过于频繁" in refused.text and refused.headers["retry-after"] == "60"
    assert c.get("/gk/catalogue/").status_code == 200  # browsing goes on


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_documents_files_are_published_only_with_a_public_document(office, gk, tmp_path):
    import sqlite3

    text = tmp_path / "正文.pdf"
    text.write_bytes(PDF)
    explained = tmp_path / "解读.pdf"
    explained.write_bytes(PDF + b"% interpretation\n")
    notice = gk.json("document", "attach", office["notice"], "--file", str(text), "--on", "2026-10-01")
    gk.ok("document", "attach", office["notice"], "--file", str(explained), "--kind", "解读材料", "--on", "2026-10-01")
    hidden = {k: gk.json("document", "attach", office[k], "--file", str(text), "--on", "2026-10-01")["files"][0]
              for k in ("withheld", "on_request")}
    assert [f["kind_name"] for f in notice["files"]] == ["正文"]
    assert "已于" in gk.fails("document", "attach", office["licensing"], "--file", str(text)).stderr  # repealed
    assert "类别" in gk.fails("document", "attach", office["notice"], "--file", str(text), "--kind", "送达证明").stderr
    (tmp_path / "fake.pdf").write_bytes(b"MZ not a pdf")
    assert "内容不是" in gk.fails("document", "attach", office["notice"], "--file", str(tmp_path / "fake.pdf")).stderr
    c = client()
    page = c.get(f"/gk/documents/{office['notice']}.html").text
    links = re.findall(r'href="\.\./documents/(' + office["notice"] + r'-[0-9]+\.pdf)"', page)
    assert len(links) == 2 and "正文.pdf" in page and "解读.pdf" in page
    assert page.index("解读.pdf") > page.index('id="h-interp"')  # the 解读材料 beside the interpretation
    served = c.get(f"/gk/documents/{links[0]}")
    assert served.status_code == 200 and served.content == PDF and served.headers["content-type"] == "application/pdf"
    missing = c.get("/gk/documents/999-999.pdf")
    assert missing.status_code == 404
    for key, row in hidden.items():  # a file of a document not public: the same answer as nothing
        r = c.get(f"/gk/documents/{row['href']}")
        assert r.status_code == 404 and r.text == missing.text, key
    assert c.get(f"/gk/documents/{office['notice']}-{hidden['withheld']['id']}.pdf").status_code == 404
    out = tmp_path / "site"
    gk.ok("site", "build", "--out", str(out))
    assert (out / "documents" / links[0]).read_bytes() == PDF
    assert f'href="../documents/{links[1]}"' in (out / f"documents/{office['notice']}.html").read_text(encoding="utf-8")
    assert not list((out / "documents").glob(f"{office['withheld']}-*")) and not list(
        (out / "documents").glob(f"{office['on_request']}-*"))
    assert gk.json("audit", "verify")["ok"]
    db = sqlite3.connect(tmp_path / "gongkai.db")
    with db:
        db.execute("UPDATE attachment_chunk SET data = X'00' WHERE sha256 = ?", (notice["files"][0]["sha256"],))
    db.close()
    report = gk("audit", "verify")
    assert report.exit_code != 0 and f"文件 {office['notice']} 的附件“正文.pdf”" in report.stderr


def test_a_stated_category_of_article_twenty_lists_the_document_under_it(office, gk):
    from public_support import document, publish

    assert "第二十条的类别" in gk.fails("document", "new", "--title", "某统计公报", "--kind", "其他", "--attribute",
                                     "主动公开", "--category", "十六").stderr
    stats = document(gk, "某区2025年国民经济和社会发展统计公报", "主动公开", "--category", "（四）")
    publish(gk, stats)
    c = client()
    assert "（四）国民经济和社会发展统计信息" in c.get(f"/gk/documents/{stats}.html").text
    assert "某区2025年国民经济" in c.get("/gk/catalogue/c4/").text
    assert "某区2025年国民经济" not in c.get("/gk/catalogue/c15/").text
    assert "（四）国民经济和社会发展统计信息" in c.get("/gk/catalogue/").text  # the navigation counts it
    data = gk.json("document", "edit", stats, "--category", "7", "--by", "经办人")
    assert data["category"].startswith("（七）财政预算") and data["category_stated"]
    assert "某区2025年国民经济" in c.get("/gk/catalogue/c7/").text
    assert c.get("/gk/catalogue/c4/").status_code == 404 or "某区2025年国民经济" not in c.get("/gk/catalogue/c4/").text
    assert "没有要修改" in gk.fails("document", "edit", stats, "--category", "财政预算、决算信息").stderr
    back = gk.json("document", "edit", stats, "--category", "推定", "--by", "经办人")
    assert back["category"].startswith("（十五）") and not back["category_stated"]
    assert "一致" in gk.ok("audit", "verify").stdout
