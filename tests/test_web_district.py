"""One ``gongkai serve`` for a whole district, in a real browser (Chromium, as test_web_browser.py).

Two units, 甲局 (fga) and 乙局 (fgb), each with its own staff, on one server. A session of
甲局 sees 甲局's records only: 乙局's request, opened or posted to by its id, is refused, changes
nothing in 乙局's chain, and the refusal is in 甲局's login history and the server's log, naming
the unit with the account. A cookie copied before 退出 no longer opens anything, nor does an
old session after a password change (in the web application or by ``gongkai user passwd``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_web_browser import browser, login, notice, post_without_browser_form, submit, wait_for  # noqa: F401
from web_support import PASSWORD, Server

from selenium.webdriver.common.by import By  # noqa: E402  (test_web_browser skips without selenium)

GONGKAI = str(Path(sys.executable).parent / "gongkai")
STAFF = {  # unit -> account -> roles (西咸新区's chain)
    "fga": {"fga.admin": ["单位管理员"], "fga.lisi": ["承办人"], "fga.head": ["单位主要负责同志"]},
    "fgb": {"fgb.admin": ["单位管理员"], "fgb.lisi": ["承办人"], "fgb.head": ["单位主要负责同志"]},
}


def run(folder: Path, *args: str, input: str | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") or k == "GONGKAI_CACHE_DIR"}
    if "--by" in args:  # the one at the terminal logs in first, as the command line requires
        unit = list(args[:2]) if args[0] == "--unit" else []
        subprocess.run([GONGKAI, *unit, "login", args[args.index("--by") + 1], "--password-stdin"], cwd=folder, env=env,
                       input=PASSWORD + "\n", capture_output=True, text=True)
    result = subprocess.run([GONGKAI, *args], cwd=folder, env=env, input=input, capture_output=True, text=True)
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def district(tmp_path_factory, calendar_cache):
    """The district's folder, its two units' staff and one request each; then one server."""
    patch = pytest.MonkeyPatch()  # the module's commands share the run's calendar cache; undone after
    patch.setenv("GONGKAI_CACHE_DIR", str(calendar_cache))
    folder = tmp_path_factory.mktemp("web-district")
    run(folder, "init", "--jurisdiction", "xixian", "--district")
    for code, name in (("fga", "西咸新区甲局"), ("fgb", "西咸新区乙局")):
        run(folder, "unit", "add", code, "--name", name)
        for account, roles in STAFF[code].items():
            run(folder, "--unit", code, "user", "add", account, *(a for r in roles for a in ("--role", r)),
                "--password-stdin", *(["--by", f"{code}.admin"] if not account.endswith("admin") else []),
                input=PASSWORD + "\n")
    ids = {}
    for code, subject in (("fga", "甲局的道路维修预算"), ("fgb", "乙局的征收补偿方案")):
        made = run(folder, "--unit", code, "request", "new", "--applicant", "张三", "--applicant-type", "自然人",
                   "--channel", "当面提交", "--submitted", dt.date.today().isoformat(), "--subject", subject,
                   "--by", f"{code}.lisi", "--json")
        ids[code] = json.loads(made.stdout)["id"]
    server = Server(folder / "gongkai.toml", calendar_cache, folder / "serve.log")
    yield folder, server, ids
    server.stop()
    patch.undo()


def head(folder: Path, code: str) -> str:
    return json.loads(run(folder, "--unit", code, "audit", "head", "--json").stdout)["head"]


def logins(folder: Path, code: str) -> list[dict]:
    return json.loads(run(folder, "--unit", code, "user", "logins", "--by", f"{code}.admin", "--json").stdout)


def test_one_server_each_session_sees_its_own_unit_only(district, browser):  # noqa: F811
    folder, server, ids = district
    login(browser, server, "fga.lisi")
    assert "西咸新区甲局" in browser.find_element(By.CSS_SELECTOR, ".brand").text
    browser.get(server.url + "/ledger")
    ledger = wait_for(browser, "#ledger").text
    assert "甲局的道路维修预算" in ledger and "乙局" not in ledger
    before = head(folder, "fgb")
    # 乙局's request by its id: not found in 甲局's records, page and post alike
    browser.get(f"{server.url}/requests/{ids['fgb']}")
    assert "没有编号为" in wait_for(browser, "main").text and "征收补偿" not in browser.page_source
    browser.get(f"{server.url}/requests/{ids['fgb']}/letter")
    assert "征收补偿" not in browser.page_source
    token = browser.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")
    post_without_browser_form(browser, f"/requests/{ids['fgb']}/edit",
                              {"csrf_token": token, "subject": "甲局改写的内容", "why": "试图改写"})
    assert "甲局改写的内容" not in browser.page_source
    assert head(folder, "fgb") == before  # nothing written in 乙局's chain
    show = json.loads(run(folder, "--unit", "fgb", "request", "show", str(ids["fgb"]), "--json").stdout)
    assert "征收补偿" in json.dumps(show, ensure_ascii=False) and "甲局改写" not in json.dumps(show, ensure_ascii=False)
    # refused, and logged: 甲局's login history and the server's log name the unit with the account
    refused = [r for r in logins(folder, "fga") if r["kind"] == "refused"]
    assert any(r["account"] == "fga.lisi" and f"/requests/{ids['fgb']}" in r["detail"] for r in refused)
    assert f"fga/fga.lisi" in (folder / "serve.log").read_text(encoding="utf-8")
    # 乙局's 承办人 on the same server sees 乙局's request, not 甲局's
    login(browser, server, "fgb.lisi")
    assert "西咸新区乙局" in browser.find_element(By.CSS_SELECTOR, ".brand").text
    browser.get(f"{server.url}/requests/{ids['fgb']}")
    assert "乙局的征收补偿方案" in wait_for(browser, "main").text
    browser.get(f"{server.url}/requests/{ids['fga']}")
    assert "道路维修" not in browser.page_source
    kinds = {(r["kind"], r["account"]) for r in logins(folder, "fgb")}
    assert ("login", "fgb.lisi") in kinds and ("login", "fga.lisi") not in kinds


def test_the_same_name_in_two_units_is_refused(district):
    folder, _, _ = district
    refused = run(folder, "--unit", "fgb", "user", "add", "fga.lisi", "--role", "承办人", "--by", "fgb.admin",
                  "--password-stdin", input=PASSWORD + "\n", ok=False)
    assert refused.returncode == 1 and "已被单位 fga 使用" in refused.stderr


def status_for(server, browser, path: str) -> tuple[int, bytes]:
    """The status and body of ``path`` fetched with the browser's session (Chromium shows no status)."""
    import urllib.error
    import urllib.request

    cookie = session_cookie(browser)
    request = urllib.request.Request(server.url + path, headers={"Cookie": f"{cookie['name']}={cookie['value']}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_another_units_attachment_is_not_found(district, browser):  # noqa: F811
    folder, server, ids = district
    scan = folder / "甲局的扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n% fga only\n%%EOF\n")
    added = json.loads(run(folder, "--unit", "fga", "request", "attach", str(ids["fga"]), str(scan), "--kind", "申请材料",
                           "--by", "fga.lisi", "--json").stdout)
    path = f"/requests/{ids['fga']}/attachments/{added['id']}"
    login(browser, server, "fga.lisi")
    browser.get(server.url + f"/requests/{ids['fga']}")
    assert "甲局的扫描件.pdf" in wait_for(browser, "#attachments").text
    assert status_for(server, browser, path) == (200, scan.read_bytes())
    login(browser, server, "fgb.lisi")  # 乙局's 承办人: the same link is nothing
    status, body = status_for(server, browser, path)
    assert status == 404 and b"%PDF" not in body
    status, body = status_for(server, browser, f"/requests/{ids['fgb']}/attachments/{added['id']}")
    assert status == 404 and b"%PDF" not in body


def session_cookie(browser) -> dict:
    return next(c for c in browser.get_cookies() if c["name"] == "gongkai_session")


def signed_out(browser, server, cookie) -> bool:
    """Whether the browser, given ``cookie`` again, is sent to the login page."""
    browser.delete_all_cookies()
    browser.get(server.url + "/login")
    browser.add_cookie({"name": cookie["name"], "value": cookie["value"], "path": "/"})
    browser.get(server.url + "/todo")
    wait_for(browser, "main")
    return "/login" in browser.current_url


def test_a_cookie_copied_before_logout_no_longer_works(district, browser):  # noqa: F811
    folder, server, _ = district
    login(browser, server, "fga.head")
    copied = session_cookie(browser)
    assert not signed_out(browser, server, copied)  # the copy works while the session lasts
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
    assert "已退出登录" in notice(browser)
    assert signed_out(browser, server, copied)
    assert ("logout", "fga.head") in {(r["kind"], r["account"]) for r in logins(folder, "fga")}


def test_the_old_session_ends_with_a_password_change(district, browser):  # noqa: F811
    folder, server, _ = district
    login(browser, server, "fgb.head")
    old = session_cookie(browser)
    login(browser, server, "fgb.head")  # a second browser of the same person
    browser.get(server.url + "/account/password")
    browser.find_element(By.ID, "current").send_keys(PASSWORD)
    for field in ("new", "again"):
        browser.find_element(By.ID, field).send_keys("上林苑里有两棵老槐树")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/account/password'] button"))
    assert "密码已修改" in notice(browser)
    assert signed_out(browser, server, old)
    login(browser, server, "fgb.head", "上林苑里有两棵老槐树")
    assert "/todo" in browser.current_url
    # and by the administrator in the CLI: the session open in the browser ends at once
    run(folder, "--unit", "fgb", "user", "passwd", "fgb.head", "--by", "fgb.admin", "--password-stdin",
        input=PASSWORD + "\n")
    browser.get(server.url + "/todo")
    wait_for(browser, "main")
    assert "/login" in browser.current_url
