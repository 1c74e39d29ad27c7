"""Issue 28, hole 3, for documents: a document's second signer (分管保密工作负责人 on 保密审查) is
the signed-in account, never a name the reviewer types. In Chromium: the reviewer's form has no
second-signer field and a forged one is not recorded; the second signer, signed in, signs."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Cli, write_config
from test_web_browser import artefacts, browser, login, notice, post_without_browser_form, shot, submit, wait_for  # noqa: F401
from web_support import PASSWORD, Server

from selenium.webdriver.common.by import By  # noqa: E402

STAFF = {"secrecy": ["保密审查员"], "lead": ["分管保密工作负责人"], "admin": ["单位管理员"]}  # the administrator last: no login needed yet


@pytest.fixture(scope="module")
def unit_config(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-cosign")
    config = write_config(folder, "xixian")
    gk = Cli()
    base = ["--config", str(config)]
    # registered before the unit has accounts (free text), then the staff
    gk.ok(*base, "document", "new", "--title", "关于开展某项工作的通知", "--kind", "其他", "--attribute", "主动公开",
          "--finalised", dt.date.today().isoformat(), "--interpretation", "政策解读材料")
    for name, roles in STAFF.items():
        args = [*base, "user", "add", name, "--password-stdin"]
        for role in roles:
            args += ["--role", role]
        gk.ok(*args, input=PASSWORD + "\n")
    return config


@pytest.fixture(scope="module")
def server(unit_config, calendar_cache):
    running = Server(unit_config, calendar_cache, unit_config.parent / "serve.log")
    yield running
    running.stop()


def shown(config) -> dict:
    return Cli().json("--config", str(config), "document", "show", "1")["review_steps"][0]


def test_the_second_signer_is_the_signed_in_account(server, browser, artefacts, unit_config):
    login(browser, server, "secrecy")
    browser.get(server.url + "/documents/1")
    form = wait_for(browser, "form[action='/documents/1/review']")
    assert not form.find_elements(By.NAME, "head")  # no typed second signer
    token = form.find_element(By.NAME, "csrf_token").get_attribute("value")
    # what a forged or old page would send: the reviewer names the second signer
    post_without_browser_form(browser, "/documents/1/review",
                              {"csrf_token": token, "step": "confidentiality", "decision": "approve",
                               "head": "lead", "on": dt.date.today().isoformat()})
    assert "已记录审核" in notice(browser)
    step = shown(unit_config)
    assert (step["by"], step["head"]) == ("secrecy", "")  # the typed name signed nothing
    assert not browser.find_elements(By.ID, "cosign-confidentiality")  # not the reviewer's to sign
    # the second signer, signed in as themselves, signs the approved step
    login(browser, server, "lead")
    browser.get(server.url + "/documents/1")
    form = wait_for(browser, "#cosign-confidentiality")
    shot(browser, artefacts, "文件-第二签字")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已签字" in notice(browser)
    assert not browser.find_elements(By.ID, "cosign-confidentiality")
    step = shown(unit_config)
    assert (step["by"], step["head"]) == ("secrecy", "lead")
    events = Cli().json("--config", str(unit_config), "document", "show", "1")["events"]
    assert [(e["action"], e["actor"]) for e in events][-1] == ("review.cosign", "lead")
