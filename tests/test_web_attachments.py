"""Attachments from the staff pages (issue 34), over HTTP with Starlette's test client: a request's
添加附件 form and a document's 附加文件 form call the same core functions as ``gongkai request
attach`` and ``gongkai document attach --file`` (stored in the database, the SHA-256 in the log),
with CSRF, the type checked by content and ``[attachments] max_mb``; the files are listed with
download links, the attach event is in the timeline, and every refusal is in Chinese words."""

from __future__ import annotations

import hashlib
import re

import pytest

pytest.importorskip("starlette", reason="the web app's dependencies: pip install -e '.[test]'")
from test_web_case_work import CLI_WORDS, TODAY, new_request, text_of  # noqa: E402
from web_support import make_unit, signed_in, unit_environment  # noqa: E402

from gongkai.core.app import App  # noqa: E402

PDF = b"%PDF-1.4\n% a scan of the application\n" + b"0" * 5000 + b"\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + b"\x00" * 200


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory, calendar_cache):
    mp, url = unit_environment(request, calendar_cache, TODAY)
    config = make_unit(tmp_path_factory.mktemp("web-attachments"), database_url=url)
    config.write_text(config.read_text(encoding="utf-8") + "\n[attachments]\nmax_mb = 1\n", encoding="utf-8")
    office = App(str(config), database_url=url)
    yield office
    mp.undo()


@pytest.fixture(scope="module")
def clients(office):
    from gongkai.core.web.app import create_app

    web = create_app(office)
    return {name: signed_in(web, name) for name in ("clerk", "lawyer", "officehead")}


def upload(client, path, name, content, mime="application/pdf", token=True, **fields):
    data = {**({"csrf_token": client.token} if token else {}), **fields}
    r = client.post(path, data=data, files={"file": (name, content, mime)})
    return r, (client.get(r.headers["location"]).text if r.status_code == 303 else r.text)


def verified(office) -> bool:
    from gongkai.core.audit.replay import verify_all

    with office.session() as session:
        return verify_all(session)["ok"]


def test_attachments_from_the_request_page(office, clients):
    from gongkai.core.requests import files

    rid = new_request(office, "钱九")
    clerk, lawyer = clients["clerk"], clients["lawyer"]
    page = clerk.get(f"/requests/{rid}").text
    assert 'id="action-attach"' in page and "每个文件不超过 1 MB" in page and "尚无附件" in page
    for kind in ("申请材料", "提供的信息", "告知书原件", "送达证明", "其他"):
        assert f">{kind}</option>" in page
    assert 'id="action-attach"' not in lawyer.get(f"/requests/{rid}").text  # only a 承办人 attaches
    r, page = upload(clerk, f"/requests/{rid}/attach", "申请表扫描件.pdf", PDF, kind="application", on=TODAY)
    assert r.status_code == 303 and "已添加附件：申请表扫描件.pdf（申请材料）" in page
    r, page = upload(clerk, f"/requests/{rid}/attach", "提供的信息.docx", DOCX, kind="information")
    assert "已添加附件：提供的信息.docx（提供的信息）" in page
    # listed for whoever may read the case, downloadable, the same bytes; the log states the hash
    page = lawyer.get(f"/requests/{rid}").text
    links = re.findall(rf'href="(/requests/{rid}/attachments/\d+)">([^<]+)</a>', page)
    assert [name for _, name in links] == ["申请表扫描件.pdf", "提供的信息.docx"]
    got = lawyer.get(links[0][0])
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    timeline = text_of(page.partition('id="timeline"')[2])
    assert "添加附件" in timeline and "申请材料：申请表扫描件.pdf" in timeline and "提供的信息：提供的信息.docx" in timeline
    with office.session() as session:
        stored = files.of_request(session, rid)
    assert [f["sha256"] for f in stored] == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(DOCX).hexdigest()]
    assert [f["added_by"] for f in stored] == ["clerk", "clerk"]
    # refusals, in words, leave nothing stored
    refusals = [
        (("改名的程序.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf"), {"kind": "application"}, "不是"),
        (("扫描件.docx", DOCX, "application/octet-stream"), {"kind": "application"}, "不是"),  # a scan is no Word file
        (("大文件.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), "application/pdf"), {"kind": "other"}, "1 MB"),
        (("很大的文件.pdf", b"%PDF-1.4\n" + b"0" * (8 * 1024 * 1024), "application/pdf"), {"kind": "other"}, "1 MB"),
        (("扫描件.pdf", PDF, "application/pdf"), {"kind": "bogus"}, "附件类别"),
        (("空.pdf", b"", "application/pdf"), {"kind": "other"}, "是空的"),
    ]
    for (name, content, mime), fields, said in refusals:
        r, page = upload(clerk, f"/requests/{rid}/attach", name, content, mime, **fields)
        shown = text_of(page)
        assert 'class="error"' in page and said in shown, (name, shown[:600])
        assert not CLI_WORDS.search(shown) and "kind" not in shown, (name, shown[:600])
    r, page = upload(clerk, f"/requests/{rid}/attach", "扫描件.pdf", PDF, token=False, kind="other")
    assert "安全校验码" in page
    assert lawyer.post(f"/requests/{rid}/attach", data={"csrf_token": lawyer.token, "kind": "other"},
                       files={"file": ("x.pdf", PDF, "application/pdf")}).status_code == 403
    with office.session() as session:
        assert len(files.of_request(session, rid)) == 2
    # a file of another request is not found under this one
    other = new_request(office, "孙十")
    assert lawyer.get(f"/requests/{other}/attachments/{links[0][0].rsplit('/', 1)[1]}").status_code == 404
    assert verified(office)


def test_a_documents_interpretation_from_the_browser(office, clients):
    import datetime as dt

    from gongkai.core.documents import files
    from gongkai.core.documents.workflow import register_document

    with office.session() as session:
        did = register_document(session, office.registry, office.calendar, title="关于道路维修的通知", kind="其他",
                                attribute="主动公开", finalised=dt.date(2026, 10, 12), actor="clerk").id
    clerk = clients["clerk"]
    page = clerk.get(f"/documents/{did}").text
    assert 'id="action-attach"' in page and "尚未附加文件" in page
    assert 'id="action-attach"' not in clients["lawyer"].get(f"/documents/{did}").text
    r, page = upload(clerk, f"/documents/{did}/attach", "政策解读.pdf", PDF, kind="interpretation")
    assert r.status_code == 303 and "已附加文件：政策解读.pdf（解读材料）" in page
    assert "解读材料见所附文件“政策解读.pdf”" in page  # the interpretation rule is met
    link = re.search(rf'href="(/documents/{did}/files/\d+)">政策解读.pdf</a>', page).group(1)
    assert clients["lawyer"].get(link).content == PDF
    r, page = upload(clerk, f"/documents/{did}/attach", "解读.pdf", b"MZ\x90\x00" * 10, kind="interpretation")
    assert "不是" in text_of(page) and not CLI_WORDS.search(text_of(page))
    r, page = upload(clerk, f"/documents/{did}/attach", "解读.pdf", PDF, token=False, kind="interpretation")
    assert "安全校验码" in page
    with office.session() as session:
        rows = files.of_documents(session, [did])[did]
    assert [(r.kind, r.sha256) for r in rows] == [("interpretation", hashlib.sha256(PDF).hexdigest())]
    assert clients["lawyer"].get(f"/documents/{did}/files/{rows[0].id + 999}").status_code == 404
    assert verified(office)
