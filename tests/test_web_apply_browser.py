"""The applicant's side in a real browser: Debian's Chromium at 390 × 844 (a phone) against
``gongkai serve``, and a real SMTP server on loopback.

An applicant files with a scan and gets the printable receipt and its email; the clerk confirms
it in the 待确认 queue; the lawyer and the head sign, the clerk replies; the applicant follows
the request at /track and downloads the reply as PDF; the request page then shows 网上送达 with
the last days for 行政复议 and 行政诉讼; `audit verify` passes with every step in the log. A
200 MB upload sent in chunks is cut off at the limit, never read whole. Screenshots of every
public page go to the artefacts folder (as tests/test_web_browser.py)."""

from __future__ import annotations

import http.client
import re
import time
from pathlib import Path

import pytest
from conftest import Cli
from mail_helpers import mail_toml, smtp_server
from online_helpers import PDF
from test_web_browser import artefacts, chromium, login, notice, submit, wait_for  # noqa: F401  (the shared Chromium helpers)
from web_support import Server, make_unit

from gongkai.core.today import today

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def mail():
    with smtp_server() as (port, messages):
        yield port, messages


@pytest.fixture(scope="module")
def unit_folder(tmp_path_factory, calendar_cache, mail):
    folder = tmp_path_factory.mktemp("apply-unit")
    config = make_unit(folder)
    config.write_text(config.read_text() + mail_toml(mail[0]) + "\n[attachments]\nmax_mb = 5\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(unit_folder, calendar_cache):
    running = Server(unit_folder / "gongkai.toml", calendar_cache, unit_folder / "serve.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def phone(tmp_path_factory):
    driver = chromium(tmp_path_factory, "390,844")
    yield driver
    driver.quit()


def open_action(driver, name: str):
    details = wait_for(driver, f"#action-{name}")
    if details.get_attribute("open") is None:
        driver.execute_script("arguments[0].open = true", details)
    return details.find_element(By.TAG_NAME, "form")


def shot(driver, artefacts: Path, name: str) -> None:
    driver.save_screenshot(str(artefacts / f"apply-{name}.png"))


def fits(driver) -> bool:
    """Nothing wider than the phone's screen: no sideways scrolling."""
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_file_online_confirm_reply_and_download_at_track(server, phone, artefacts, mail, unit_folder, tmp_path):
    port, messages = mail
    scan = tmp_path / "身份证.pdf"
    scan.write_bytes(PDF)
    phone.delete_all_cookies()
    phone.get(server.url + "/apply")
    wait_for(phone, "form#apply")
    assert fits(phone)
    shot(phone, artefacts, "01-网上申请-390")
    form = phone.find_element(By.ID, "apply")
    form.find_element(By.NAME, "applicant").send_keys("张三")
    form.find_element(By.NAME, "id_number").send_keys("11010519491231002X")
    form.find_element(By.NAME, "contact").send_keys("13800138000")
    form.find_element(By.NAME, "email").send_keys("zhangsan@example.com")
    form.find_element(By.NAME, "subject").send_keys("2025年本区道路维修工程预算")
    Select(form.find_element(By.NAME, "form_wanted")).select_by_visible_text("网上下载")
    form.find_element(By.NAME, "attachment").send_keys(str(scan))
    submit(phone, phone.find_element(By.ID, "submit"))
    code = wait_for(phone, "#tracking-code").text
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", code)
    assert "回执邮件将发送至 zhangsan@example.com" in phone.find_element(By.ID, "mailed").text
    assert fits(phone)
    shot(phone, artefacts, "02-申请回执-390")
    deadline = time.monotonic() + 10
    while not messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert messages and messages[0]["To"] == "zhangsan@example.com"
    assert code in messages[0].get_body(("plain",)).get_content()

    phone.get(server.url + "/track")
    phone.find_element(By.NAME, "code").send_keys(code)
    phone.find_element(By.NAME, "check").send_keys("8000")
    shot(phone, artefacts, "03-申请查询-390")
    submit(phone, phone.find_element(By.CSS_SELECTOR, "form#track button"))
    assert "待确认" in wait_for(phone, "#state").text
    shot(phone, artefacts, "04-查询结果-待确认-390")

    login(phone, server, "clerk")
    phone.get(server.url + "/pending")
    assert "张三" in wait_for(phone, "main").text and code[:4] in phone.find_element(By.TAG_NAME, "main").text
    assert code[5:9] not in phone.find_element(By.TAG_NAME, "main").text  # only the first group is kept readable
    shot(phone, artefacts, "05-待确认-390")
    submit(phone, phone.find_element(By.CSS_SELECTOR, "button[id^=confirm-]"))
    assert "登记为申请 1" in notice(phone)
    request_url = server.url + "/requests/1"
    phone.get(request_url)
    assert "身份证.pdf" in wait_for(phone, "#attachments").text
    form = open_action(phone, "review")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("disclosed")
    submit(phone, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(phone)
    for name in ("lawyer", "head"):
        login(phone, server, name)
        phone.get(request_url)
        form = open_action(phone, "review")
        form.find_element(By.NAME, "comment").send_keys("同意。")
        submit(phone, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert "已记录审核" in notice(phone)
    login(phone, server, "clerk")
    phone.get(request_url)
    form = open_action(phone, "reply")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("disclosed")
    form.find_element(By.NAME, "provision").send_keys("通过网上下载提供")
    submit(phone, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：答复" in notice(phone)

    phone.delete_all_cookies()  # the applicant again
    phone.get(server.url + "/track")
    phone.find_element(By.NAME, "code").send_keys(code.lower().replace("-", " "))
    phone.find_element(By.NAME, "check").send_keys("002x")  # the ID's last four do as well
    submit(phone, phone.find_element(By.CSS_SELECTOR, "form#track button"))
    assert "已答复" in wait_for(phone, "#state").text
    assert today().isoformat() in phone.find_element(By.ID, "received").text
    page = phone.find_element(By.TAG_NAME, "main").text
    for internal in ("lawyer", "head", "律师", "同意。", "clerk"):
        assert internal not in page
    assert fits(phone)
    shot(phone, artefacts, "06-查询结果-已答复-390")
    phone.find_element(By.ID, "letter-reply").click()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (list(phone.downloads.glob("*.crdownload"))
                                           or not [p for p in phone.downloads.glob("*.pdf") if p.stat().st_size]):
        time.sleep(0.3)
    downloaded = list(phone.downloads.glob("*.pdf"))
    assert downloaded and downloaded[0].read_bytes().startswith(b"%PDF")

    login(phone, server, "clerk")
    phone.get(request_url)
    table = wait_for(phone, "#deliveries").text
    assert "网上送达" in table and today().isoformat() in table
    assert "行政复议法 第二十条" in table and "行政诉讼法 第四十六条" in table
    shot(phone, artefacts, "07-申请详情-送达-390")
    phone.get(server.url + "/ledger")
    assert "网上送达" in wait_for(phone, "#ledger").text

    gk = Cli()
    config = str(unit_folder / "gongkai.toml")
    assert gk.json("--config", config, "audit", "verify")["ok"]
    events = gk.json("--config", config, "request", "show", "1")["events"]
    assert {"receive", "confirm_online", "review", "reply", "deliver"} <= {e["action"] for e in events}


def test_a_200_mb_upload_in_chunks_is_cut_off_and_nothing_is_stored(server, unit_folder):
    """Sent chunked (no length announced), as a script would: the server stops reading past the
    limit; the test never holds more than one megabyte either."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    page = conn.request("GET", "/apply") or conn.getresponse()
    body = page.read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    cookie = page.getheader("set-cookie").split(";")[0]
    boundary = "gongkaiboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"big.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
    megabyte = b"\0" * (1024 * 1024)

    def chunks():
        yield head
        for _ in range(200):
            yield megabyte

    status = None
    try:
        conn.request("POST", "/apply", body=chunks(), encode_chunked=True,
                     headers={"content-type": f"multipart/form-data; boundary={boundary}", "cookie": cookie})
        response = conn.getresponse()
        status, text = response.status, response.read().decode()
        assert "过大" in text
    except (BrokenPipeError, ConnectionResetError):
        status = 413  # the server stopped reading and closed the connection
    assert status == 413
    conn.close()
    assert Cli().json("--config", str(unit_folder / "gongkai.toml"), "request", "pending") == []


def test_the_public_pages_at_1366_by_900(server, artefacts, tmp_path_factory):
    desk = chromium(tmp_path_factory, "1366,900")
    try:
        for path, name in (("/apply", "08-网上申请-1366"), ("/track", "09-申请查询-1366")):
            desk.get(server.url + path)
            wait_for(desk, "main h1")
            assert fits(desk) and "登录" not in desk.find_element(By.TAG_NAME, "main").text
            shot(desk, artefacts, name)
        desk.find_element(By.NAME, "code").send_keys("0000-0000-0000-0000-0000")
        desk.find_element(By.NAME, "check").send_keys("1234")
        submit(desk, desk.find_element(By.CSS_SELECTOR, "form#track button"))
        assert "查询码或校验号码不正确" in wait_for(desk, ".error").text
        shot(desk, artefacts, "10-查询码错误-1366")
    finally:
        desk.quit()
