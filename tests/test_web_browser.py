"""The web app in a real browser: Debian's Chromium driven by Selenium against ``gongkai serve``.

One server and one browser for the whole module. A 承办人 registers a request, the lawyer and
the head sign their steps, the 承办人 replies and downloads the letter; a 承办人 trying the
lawyer's step gets the 403 page; a form without its CSRF token is refused; five wrong
passwords lock the account. Screenshots of the main pages go to the run's artefacts folder
(``GONGKAI_ARTIFACTS`` or ``<pytest basetemp>/screenshots``).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from web_support import PASSWORD, Server, make_unit

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("GONGKAI_ARTIFACTS") or tmp_path_factory.getbasetemp() / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory, calendar_cache):
    folder = tmp_path_factory.mktemp("web-unit")
    running = Server(make_unit(folder), calendar_cache, folder / "serve.log")
    yield running
    running.stop()


def chromium(tmp_path_factory, size: str = "1280,1000"):
    """Debian's Chromium, headless, at ``size`` ("width,height"), downloading into its own folder."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium and chromium-driver are missing: .ci/run installs them")
        pytest.skip("/usr/bin/chromium or /usr/bin/chromedriver is not installed")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={size}",
                "--lang=zh-CN", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "plugins.always_open_pdf_externally": True})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)), options=options)
    driver.downloads = downloads
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory)
    yield driver
    driver.quit()


def wait_for(driver, css: str):
    return WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def submit(driver, button) -> None:
    """Click a submit button and wait until the next page has loaded."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script("arguments[0].scrollIntoView()", button)  # a phone's screen may not show it
    button.click()
    WebDriverWait(driver, 60).until(lambda _: gone(page))
    wait_for(driver, "main")


def gone(element) -> bool:
    """The element's page has been replaced. Chromium may answer a node of the old page with
    "Node … does not belong to the document" rather than a stale reference: both mean gone."""
    try:
        element.is_enabled()
    except WebDriverException:  # StaleElementReferenceException is one
        return True
    return False


def login(driver, server, name: str, password: str = PASSWORD) -> None:
    driver.delete_all_cookies()
    driver.get(server.url + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button"))


def open_action(driver, name: str):
    """Open the <details> of a next action on the request page; returns its form."""
    details = wait_for(driver, f"#action-{name}")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    return details.find_element(By.TAG_NAME, "form")


def notice(driver) -> str:
    return wait_for(driver, ".notice, .error").text


def shot(driver, artefacts: Path, name: str) -> None:
    driver.save_screenshot(str(artefacts / f"{name}.png"))


def post_without_browser_form(driver, action: str, fields: dict[str, str]) -> None:
    """Submit a hand-made form (what a forged or stale page would send)."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "for (const [k, v] of Object.entries(arguments[1])) {"
        "  const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
        "document.body.appendChild(f); f.submit();", action, fields)
    WebDriverWait(driver, 20).until(lambda _: gone(page))
    wait_for(driver, "main h1")


def test_request_from_intake_to_letter(server, browser, artefacts):
    today = dt.date.today().isoformat()
    login(browser, server, "clerk")
    shot(browser, artefacts, "01-我的待办-empty")
    browser.get(server.url + "/requests/new")
    browser.find_element(By.NAME, "applicant").send_keys("张三")
    id_field = browser.find_element(By.ID, "id_number")
    id_field.send_keys("110105194912310021")  # wrong check digit: htmx shows why as it is typed
    WebDriverWait(browser, 20).until(EC.text_to_be_present_in_element((By.ID, "id-check"), "校验码"))
    shot(browser, artefacts, "02-登记申请-id-check")
    id_field.clear()
    id_field.send_keys("11010519491231002X")
    WebDriverWait(browser, 20).until(EC.text_to_be_present_in_element((By.ID, "id-check"), "有效"))
    browser.find_element(By.NAME, "contact").send_keys("13800138000")
    Select(browser.find_element(By.NAME, "channel")).select_by_visible_text("当面提交")
    browser.find_element(By.NAME, "subject").send_keys("2025年本区道路维修工程预算")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/requests'] button[type=submit]"))
    assert "已登记申请" in notice(browser)
    request_url = browser.current_url
    assert "138****8000" in browser.find_element(By.ID, "contact").text  # masked until 显示
    shot(browser, artefacts, "03-申请详情-registered")

    form = open_action(browser, "review")  # the 承办人's own step: the draft, with the proposed outcome
    Select(form.find_element(By.NAME, "outcome")).select_by_value("disclosed")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)
    assert "律师" in browser.find_element(By.CSS_SELECTOR, ".actions").text  # the next step waits for a lawyer

    for name, step in (("lawyer", "律师审核"), ("head", "单位主要负责同志审批")):
        login(browser, server, name)
        assert step in browser.find_element(By.TAG_NAME, "main").text  # in 我的待办
        shot(browser, artefacts, f"04-我的待办-{name}")
        browser.get(request_url)
        form = open_action(browser, "review")
        form.find_element(By.NAME, "comment").send_keys("同意。")
        submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert "已记录审核" in notice(browser)

    login(browser, server, "clerk")
    browser.get(request_url)
    form = open_action(browser, "reply")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("disclosed")
    form.find_element(By.NAME, "provision").send_keys("通过电子邮件提供")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：答复" in notice(browser)
    assert "已答复" in browser.find_element(By.TAG_NAME, "main").text
    timeline = browser.find_element(By.ID, "timeline").text
    for who in ("clerk", "lawyer", "head"):
        assert who in timeline
    shot(browser, artefacts, "05-申请详情-replied")

    submit(browser, browser.find_element(By.ID, "reveal"))  # 显示: the full number, and the look is logged
    assert "11010519491231002X" in wait_for(browser, "#id-number").text
    assert "查看完整证件号码和电话" in browser.find_element(By.ID, "timeline").text

    browser.get(request_url + "/letter")
    assert "政府信息公开申请答复告知书" in wait_for(browser, ".letter").text
    shot(browser, artefacts, "06-答复告知书")
    browser.find_element(By.ID, "download-letter").click()
    deadline = time.monotonic() + 30
    while not list(browser.downloads.glob("*.docx")) and time.monotonic() < deadline:
        time.sleep(0.2)
    letters = list(browser.downloads.glob("*.docx"))
    assert letters, "the letter was not downloaded"
    from gongkai.core.paperwork.render import docx_text

    assert "张三" in docx_text(letters[0]) and today[:4] in docx_text(letters[0])

    for path, name in (("/ledger", "07-台账"), ("/rules", "08-规则"), ("/calendar", "09-日历"),
                       ("/documents", "10-主动公开"), ("/report", "11-年度报告"), ("/assess", "12-考核"),
                       ("/todo", "13-我的待办")):
        browser.get(server.url + path)
        wait_for(browser, "main h1")
        assert "无法办理" not in browser.find_element(By.TAG_NAME, "main").text
        shot(browser, artefacts, name)

    # 更正答复: the 承办人 opens the correction's review from the answered request's page
    browser.get(request_url)
    form = open_action(browser, "amend_review")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("partial")
    form.find_element(By.NAME, "withheld").send_keys("投标报价明细：第三方商业秘密（条例 第十五条）")
    form.find_element(By.NAME, "comment").send_keys("经复核，部分内容涉及第三方商业秘密，应部分公开。")
    shot(browser, artefacts, "16-申请详情-开始更正答复的审核")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)
    assert "更正答复审核中" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.ID, "action-amend_review")  # under way: the next step is another role's
    assert "待办步骤" in browser.find_element(By.CSS_SELECTOR, ".actions").text


def register(browser, server, clerk: str, applicant: str, subject: str) -> None:
    """``clerk`` signs in and registers a request (default channel and dates); its page is open."""
    login(browser, server, clerk)
    browser.get(server.url + "/requests/new")
    browser.find_element(By.NAME, "applicant").send_keys(applicant)
    browser.find_element(By.NAME, "subject").send_keys(subject)
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/requests'] button[type=submit]"))
    assert "已登记申请" in notice(browser)


def test_handler_cannot_sign_the_lawyers_step(server, browser, artefacts):
    register(browser, server, "clerk2", "李四", "某小区规划许可")
    request_path = browser.current_url.removeprefix(server.url)
    form = open_action(browser, "review")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("disclosed")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)
    token = browser.find_element(By.NAME, "csrf_token").get_attribute("value")
    post_without_browser_form(browser, request_path + "/review",
                              {"csrf_token": token, "step": "lawyer", "decision": "approve"})
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "无权办理（403）" in page and "律师" in page
    shot(browser, artefacts, "20-403-handler-tries-lawyer-step")


def sign_next_step(browser, server, request_url: str, name: str) -> None:
    """``name`` signs in and approves the request's next review step, as it stands."""
    login(browser, server, name)
    browser.get(request_url)
    form = open_action(browser, "review")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)


def test_the_reply_is_what_the_lawyer_and_the_head_approved(server, browser, artefacts):
    """Hole 2 of issue 28: the approvals sign a proposal; a reply or a correction stating
    another is refused, and the forms preselect what was approved."""
    register(browser, server, "clerk", "钱七", "某地块出让合同")
    request_url = browser.current_url
    form = open_action(browser, "review")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("disclosed")
    form.find_element(By.NAME, "reason").send_keys("所申请信息属于可以公开的政府信息")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)

    # the lawyer sees what the draft proposes, and the letter it makes, when signing
    login(browser, server, "lawyer")
    browser.get(request_url)
    open_action(browser, "review")
    assert "予以公开" in browser.find_element(By.ID, "signed-proposal").text
    assert "所申请信息属于可以公开的政府信息" in wait_for(browser, "#draft-letter").text
    shot(browser, artefacts, "23-律师审核-拟答复内容与告知书草稿")
    sign_next_step(browser, server, request_url, "lawyer")
    sign_next_step(browser, server, request_url, "head")

    login(browser, server, "clerk")
    browser.get(request_url)
    form = open_action(browser, "reply")
    assert Select(form.find_element(By.NAME, "outcome")).first_selected_option.get_attribute("value") == "disclosed"
    Select(form.find_element(By.NAME, "outcome")).select_by_value("withheld.state_secret")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    refused = notice(browser)
    assert "不一致" in refused and "答复结果" in refused and "予以公开" in refused
    assert "已答复" not in browser.find_element(By.CSS_SELECTOR, ".facts").text
    shot(browser, artefacts, "24-答复与审核不一致-拒绝")
    form = open_action(browser, "reply")  # as approved
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：答复" in notice(browser)

    # a correction: the new outcome approved is the one the correction form preselects
    form = open_action(browser, "amend_review")
    Select(form.find_element(By.NAME, "outcome")).select_by_value("withheld.process_info")
    form.find_element(By.NAME, "reason").clear()
    form.find_element(By.NAME, "reason").send_keys("所申请信息属于内部讨论记录")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已记录审核" in notice(browser)
    sign_next_step(browser, server, request_url, "lawyer")
    sign_next_step(browser, server, request_url, "head")
    login(browser, server, "clerk")
    browser.get(request_url)
    form = open_action(browser, "amend")
    chosen = Select(form.find_element(By.NAME, "outcome")).first_selected_option.get_attribute("value")
    assert chosen == "withheld.process_info"
    form.find_element(By.NAME, "why").send_keys("误将内部讨论记录答复为予以公开")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：更正答复" in notice(browser)
    assert "过程性信息" in browser.find_element(By.CSS_SELECTOR, ".facts").text


def test_an_extension_is_approved_by_the_one_signed_in(server, browser, artefacts):
    """Hole 3 of issue 28: a 承办人 cannot record an extension "approved by" the office head."""
    register(browser, server, "clerk2", "孙八", "某河道整治方案")
    request_path = browser.current_url.removeprefix(server.url)
    assert not browser.find_elements(By.ID, "action-extend")  # not the clerk's to approve
    token = browser.find_element(By.NAME, "csrf_token").get_attribute("value")
    post_without_browser_form(browser, request_path + "/extend",
                              {"csrf_token": token, "amount": "20", "unit": "days", "approved_by": "officehead",
                               "on": dt.date.today().isoformat()})
    assert "无权办理（403）" in browser.find_element(By.TAG_NAME, "main").text
    browser.get(server.url + request_path)
    assert "延期：" not in browser.find_element(By.TAG_NAME, "main").text
    # the office head, signed in, approves and records it: the log names the head
    login(browser, server, "officehead")
    browser.get(server.url + request_path)
    form = open_action(browser, "extend")
    assert not form.find_elements(By.NAME, "approved_by")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：延长答复期限" in notice(browser)
    assert "officehead" in browser.find_element(By.TAG_NAME, "main").text.partition("延期：")[2]


def test_form_without_csrf_token_is_refused(server, browser, artefacts):
    login(browser, server, "clerk")
    browser.get(server.url + "/ledger")
    before = browser.find_element(By.ID, "ledger").text
    post_without_browser_form(browser, "/requests", {"applicant": "王五", "applicant_type": "natural_person",
                                                     "channel": "in_person", "submitted": "2026-09-24",
                                                     "subject": "伪造的登记"})
    assert "安全校验码" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, artefacts, "21-403-missing-csrf")
    browser.get(server.url + "/ledger")
    assert browser.find_element(By.ID, "ledger").text == before  # nothing was registered


def test_five_wrong_passwords_lock_the_account(server, browser, artefacts):
    for _ in range(5):
        login(browser, server, "officehead", "wrong-password")
        assert "/login" in browser.current_url
    login(browser, server, "officehead")  # the right password, now refused
    assert "/login" in browser.current_url
    assert "锁定" in browser.find_element(By.CSS_SELECTOR, ".error").text
    shot(browser, artefacts, "22-login-locked")


def test_handler_corrects_the_facts_then_records_the_withdrawal(server, browser, artefacts):
    register(browser, server, "clerk2", "赵六", "某路段交通改造方案")
    assert not browser.find_elements(By.ID, "action-amend")  # nothing replied yet: nothing to amend

    form = open_action(browser, "edit")  # 更正登记信息: only what changes, with the reason
    form.find_element(By.NAME, "why").send_keys("申请人姓名录入错误")
    form.find_element(By.NAME, "applicant").send_keys("赵六一")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：更正登记信息" in notice(browser)
    assert "赵六一" in browser.find_element(By.CSS_SELECTOR, ".facts").text
    shot(browser, artefacts, "14-申请详情-更正登记信息")

    form = open_action(browser, "withdraw")
    Select(form.find_element(By.NAME, "how")).select_by_visible_text("电话")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已办理：登记申请人撤回" in notice(browser)
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "申请人撤回" in main and "不出具答复告知书" in main
    assert not browser.find_elements(By.ID, "action-withdraw")  # once only
    timeline = browser.find_element(By.ID, "timeline").text
    assert "更正登记信息" in timeline and "登记申请人撤回" in timeline
    shot(browser, artefacts, "15-申请详情-撤回")
