"""Case work in Chromium at 1366×900 (issue 34): the office head assigns a request to the clerk, the clerk
comments, issues the 收到申请确认书, attaches the application's scan and drafts, the lawyer (told by email, read back from a
loopback SMTP server) reads the comment and the draft letter before signing, the head signs,
the clerk replies; each person's 我的待办 holds exactly their work. A document's 解读材料 is
uploaded from its page. Every message a person reads is in Chinese words (core/web/words.py
has nothing left to take out: no command, option name or code)."""

from __future__ import annotations

import json
import re
import time

import pytest

from mail_helpers import mail_toml, smtp_server
from web_support import PASSWORD, Server, make_unit
from conftest import Cli

from test_web_browser import artefacts, chromium, login, notice, open_action, shot, submit, wait_for  # noqa: F401

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory, "1366,900")  # an office's laptop screen
    yield driver
    driver.quit()


def in_words(text: str) -> bool:
    """Chinese for people: nothing words.for_people would take out, no option name or command."""
    from gongkai.core.web.words import for_people

    return for_people(text, hint="") == text and not re.search(r"--|gongkai |`|[a-z]+_[a-z]+", text)


@pytest.fixture(scope="module")
def server(tmp_path_factory, calendar_cache):
    folder = tmp_path_factory.mktemp("web-case-work")
    config = make_unit(folder)
    with smtp_server() as (port, messages):
        config.write_text(config.read_text(encoding="utf-8") + mail_toml(port), encoding="utf-8")
        for name in ("clerk", "lawyer", "head", "officehead"):  # the administrator gives them addresses
            Cli()("--config", str(config), "login", "admin", "--password-stdin", input=PASSWORD + "\n")
            result = Cli()("--config", str(config), "user", "email", name, f"{name}@example.gov.cn", "--by", "admin")
            assert result.exit_code == 0, result.output + result.stderr
        Cli()("--config", str(config), "login", "clerk", "--password-stdin", input=PASSWORD + "\n")
        made = Cli()("--config", str(config), "document", "new", "--title", "关于道路维修工程的通知", "--kind", "其他",
                     "--attribute", "主动公开", "--by", "clerk", "--json")
        assert made.exit_code == 0, made.output + made.stderr
        running = Server(config, calendar_cache, folder / "serve.log")
        running.messages = messages
        running.config = config
        running.document = json.loads(made.output)["id"]
        yield running
        running.stop()


def work(browser, server) -> list[tuple[str, str]]:
    """The signed-in person's 我的待办: (kind, request id) per line."""
    browser.get(server.url + "/todo")
    wait_for(browser, "main h1")
    return [(row.get_attribute("class").split()[0].removeprefix("work-"), row.get_attribute("data-request"))
            for row in browser.find_elements(By.CSS_SELECTOR, "#my-work tr[data-request]")]


def register(browser, server, applicant: str) -> str:
    browser.get(server.url + "/requests/new")
    browser.find_element(By.NAME, "applicant").send_keys(applicant)
    Select(browser.find_element(By.NAME, "channel")).select_by_visible_text("当面提交")
    browser.find_element(By.NAME, "subject").send_keys("2025年本区道路维修工程预算")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/requests'] button[type=submit]"))
    assert "已登记申请" in notice(browser)
    return browser.current_url.rstrip("/").rsplit("/", 1)[1]


def test_case_work_in_the_browser(server, browser, artefacts, tmp_path):  # noqa: F811
    login(browser, server, "clerk")
    one = register(browser, server, "张三")
    login(browser, server, "clerk2")
    two = register(browser, server, "李四")
    # the office head's 我的待办: two requests to assign; the assignment from the request page
    login(browser, server, "officehead")
    assert work(browser, server) == [("assign", one), ("assign", two)]
    for request_id, to in ((one, "clerk"), (two, "clerk2")):
        browser.get(f"{server.url}/requests/{request_id}")
        form = open_action(browser, "assign")
        Select(form.find_element(By.NAME, "to")).select_by_value(to)
        form.find_element(By.NAME, "reason").send_keys("按业务分工")
        submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert f"已分办：承办人 {to}" in notice(browser)
    assert browser.find_element(By.ID, "assignee").text == "clerk2"
    assert work(browser, server) == []
    browser.get(server.url + "/ledger?assignee=clerk")
    rows = browser.find_elements(By.CSS_SELECTOR, "#ledger tr td:first-child a")
    assert [a.text for a in rows] == [one]
    shot(browser, artefacts, "34-01-台账-承办人")

    # the clerk: its own request only; comments on the case and on the lawyer's step, drafts
    login(browser, server, "clerk")
    assert work(browser, server) == [("step", one)]
    shot(browser, artefacts, "34-02-我的待办-clerk")
    browser.get(f"{server.url}/requests/{one}")
    for text, step in (("申请人来电询问进度，已告知", ""), ("理由部分请律师重点审核", "lawyer")):
        form = open_action(browser, "comment")
        Select(form.find_element(By.NAME, "step")).select_by_value(step)
        form.find_element(By.NAME, "text").send_keys(text)
        submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert "已记录意见" in notice(browser)
    # 收到申请确认书 as PDF, recorded in the timeline
    form = open_action(browser, "notice")
    Select(form.find_element(By.NAME, "kind")).select_by_value("receipt")
    Select(form.find_element(By.NAME, "format")).select_by_value("pdf")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    deadline = time.monotonic() + 60
    while not list(browser.downloads.glob("*收到确认书*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.3)
    [pdf] = browser.downloads.glob("*收到确认书*.pdf")
    assert pdf.read_bytes()[:4] == b"%PDF"
    browser.get(f"{server.url}/requests/{one}")
    assert "政府信息公开申请收到确认书" in browser.find_element(By.ID, "timeline").text
    # the application's scan, attached from the page: listed, downloadable, in the timeline
    scan = tmp_path / "申请表扫描件.pdf"
    scan.write_bytes(pdf.read_bytes())
    form = open_action(browser, "attach")
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("申请材料")
    form.find_element(By.NAME, "file").send_keys(str(scan))
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已添加附件：申请表扫描件.pdf（申请材料）" in notice(browser)
    link = browser.find_element(By.CSS_SELECTOR, "#attachments a")
    assert link.text == "申请表扫描件.pdf"
    assert "添加附件" in browser.find_element(By.ID, "timeline").text
    assert "申请材料：申请表扫描件.pdf" in browser.find_element(By.ID, "timeline").text
    shot(browser, artefacts, "34-02b-附件")
    link.click()
    deadline = time.monotonic() + 60
    while not (browser.downloads / "申请表扫描件.pdf").exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert (browser.downloads / "申请表扫描件.pdf").read_bytes() == scan.read_bytes()
    # a file that is not what its name says: refused, in words
    fake = tmp_path / "伪装的扫描件.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    form = open_action(browser, "attach")
    form.find_element(By.NAME, "file").send_keys(str(fake))
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    refused = notice(browser)
    assert "伪装的扫描件.pdf" in refused and "未予接收" in refused and in_words(refused), refused
    assert len(browser.find_elements(By.CSS_SELECTOR, "#attachments a")) == 1
    # a notice that needs a step recorded first: refused in the web's words
    form = open_action(browser, "notice")
    Select(form.find_element(By.NAME, "kind")).select_by_value("extension")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    refused = notice(browser)
    assert "未延长答复期限" in refused and in_words(refused), refused
    server.messages.clear()
    form = open_action(browser, "review")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("disclosed")
    form.find_element(By.NAME, "reason").send_keys("该信息已**主动**公开")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)
    assert "lawyer" in browser.find_element(By.ID, "next-actor").text
    assert [m["To"] for m in server.messages] == ["lawyer@example.gov.cn"]  # the lawyer is told by email
    assert "律师审核" in server.messages[0]["Subject"]
    assert work(browser, server) == []
    login(browser, server, "clerk2")
    assert work(browser, server) == [("step", two)]

    # the lawyer: the comment in the timeline and the draft letter, before signing
    login(browser, server, "lawyer")
    assert work(browser, server) == [("step", one)]
    # the morning digest (cron's `gongkai digest --email`): the lawyer's mail holds what the page holds
    server.messages.clear()
    sent = Cli()("--config", str(server.config), "digest", "--email", "--within", "30")
    assert sent.exit_code == 0, sent.output + sent.stderr
    lawyer = [m for m in server.messages if m["To"] == "lawyer@example.gov.cn"]
    assert len(lawyer) == 1 and f"申请 {one}" in lawyer[0].get_content() and "律师审核" in lawyer[0].get_content()
    assert f"申请 {two}" not in lawyer[0].get_content()
    browser.get(f"{server.url}/requests/{one}")
    timeline = browser.find_element(By.ID, "timeline").text
    assert "审核意见：律师审核" in timeline and "理由部分请律师重点审核" in timeline and "申请人来电询问进度" in timeline
    draft = wait_for(browser, "#draft-letter .letter")
    assert "政府信息公开申请答复告知书" in draft.text and "理由：该信息已**主动**公开" in draft.text
    assert draft.find_element(By.TAG_NAME, "strong").text == "理由："
    shot(browser, artefacts, "34-03-律师审核-草稿")
    form = open_action(browser, "review")
    form.find_element(By.NAME, "comment").send_keys("同意。")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)
    assert work(browser, server) == []

    login(browser, server, "head")
    assert work(browser, server) == [("step", one)]
    browser.get(f"{server.url}/requests/{one}")
    assert "理由：该信息已**主动**公开" in wait_for(browser, "#draft-letter .letter").text
    form = open_action(browser, "review")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)

    login(browser, server, "clerk")
    assert work(browser, server) == [("reply", one)]
    browser.get(f"{server.url}/requests/{one}")
    form = open_action(browser, "reply")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：答复" in notice(browser)
    assert work(browser, server) == []
    login(browser, server, "filing")
    assert work(browser, server) == [("after", one)]
    browser.get(f"{server.url}/requests/{one}")
    timeline = browser.find_element(By.ID, "timeline").text
    assert "分办" in timeline and "审核：律师审核" in timeline and "同意。" in timeline
    shot(browser, artefacts, "34-04-办理记录")


def test_a_documents_interpretation_uploaded_in_the_browser(server, browser, artefacts, tmp_path):  # noqa: F811
    login(browser, server, "clerk")
    browser.get(f"{server.url}/documents/{server.document}")
    assert "尚未附加文件" in wait_for(browser, "#document-files").text
    material = tmp_path / "政策解读.pdf"
    material.write_bytes(b"%PDF-1.4\n% the interpretation\n%%EOF\n")
    form = open_action(browser, "attach")
    assert Select(form.find_element(By.NAME, "kind")).first_selected_option.text == "解读材料"
    form.find_element(By.NAME, "file").send_keys(str(material))
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已附加文件：政策解读.pdf（解读材料）" in notice(browser)
    files = browser.find_element(By.ID, "document-files").text
    assert "政策解读.pdf（解读材料" in files and "解读材料见所附文件“政策解读.pdf”" in files
    shot(browser, artefacts, "34-05-解读材料")
    login(browser, server, "lawyer")  # reads it, attaches nothing
    browser.get(f"{server.url}/documents/{server.document}")
    assert "政策解读.pdf" in wait_for(browser, "#document-files").text
    assert not browser.find_elements(By.ID, "action-attach")
