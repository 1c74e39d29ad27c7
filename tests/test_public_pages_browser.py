"""The public pages in a real browser (issue 30): every page of ``/gk/`` served by ``gongkai
serve``, and every kind of page of ``gongkai site build`` opened from disk, in Chromium at
390 × 844 (a phone) and 1366 × 900, each checked by axe-core (the npm package, run inside the
page) with no serious or critical violation, no sideways scrolling on the phone, and a visible
focus. Screenshots go to the run's artefacts folder (``GONGKAI_ARTIFACTS`` or
``<pytest basetemp>/screenshots``).

axe-core is installed once with npm into ``GONGKAI_AXE_DIR`` (default
``~/.cache/gongkai-tests/axe``; ``.ci/run`` does it); without npm these tests are skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from public_support import PUBLIC_TITLES, public_unit
from test_web_browser import artefacts, browser  # noqa: F401  (the shared Chromium fixtures)
from web_support import Server

from conftest import Cli, write_config

SIZES = ((390, 844), (1366, 900))
AXE_VERSION = "4"


def axe_script() -> str:
    folder = Path(os.environ.get("GONGKAI_AXE_DIR") or Path.home() / ".cache" / "gongkai-tests" / "axe")
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: axe-core (the npm package) cannot be installed for the accessibility checks")
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), f"axe-core@{AXE_VERSION}"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and script.exists(), f"npm install axe-core failed:\n{done.stdout}\n{done.stderr}"
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


@pytest.fixture(scope="module")
def site(tmp_path_factory, calendar_cache):
    """A 长宁区 unit with public records, its server, and its static copy."""
    folder = tmp_path_factory.mktemp("public-unit")
    mp = pytest.MonkeyPatch()
    mp.setenv("GONGKAI_CACHE_DIR", str(calendar_cache))
    mp.setenv("GONGKAI_TODAY", "2026-12-07")
    mp.chdir(folder)
    config = write_config(folder, "changning")
    gk = Cli()
    ids = public_unit(gk)
    (folder / "正文.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")  # a published text beside its page
    gk.ok("document", "attach", ids["notice"], "--file", str(folder / "正文.pdf"), "--on", "2026-10-01")
    gk.ok("site", "build", "--out", str(folder / "static-site"))
    district = folder / "district"
    district.mkdir()
    mp.chdir(district)
    gk.ok("init", "--jurisdiction", "xixian", "--district")
    for code, name in (("fga", "西咸新区甲局"), ("fgb", "西咸新区乙局")):
        gk.ok("unit", "add", code, "--name", name)
    gk.ok("site", "build", "--out", str(folder / "static-site" / "district"))
    mp.chdir(folder)
    mp.delenv("GONGKAI_TODAY")
    running = Server(config, calendar_cache, folder / "serve.log")
    try:
        districts = Server(district / "gongkai.toml", calendar_cache, folder / "serve-district.log")
    except BaseException:
        running.stop()
        raise
    yield running, ids, folder / "static-site", districts
    districts.stop()
    running.stop()
    mp.undo()


def served_pages(ids: dict[str, str]) -> list[str]:
    return ["/gk/", "/gk/guide/", "/gk/catalogue/", "/gk/catalogue/c1/", "/gk/catalogue/y2026/",
            "/gk/catalogue/search/?q=许可", "/gk/interpretations/", f"/gk/documents/{ids['notice']}.html",
            f"/gk/documents/{ids['licensing']}.html", "/gk/reports/", "/gk/reports/2025/", "/gk/documents/999.html"]


STATIC_PAGES = ["index.html", "guide/index.html", "catalogue/index.html", "catalogue/c5/index.html",
                "catalogue/search/index.html?q=拓宽", "interpretations/index.html", "reports/index.html",
                "reports/2025/index.html", "district/index.html", "district/fga/guide/index.html",
                "district/fgb/catalogue/index.html"]


def check(driver, axe: str, url: str, name: str, folder: Path) -> list[str]:
    """Open ``url`` at each size; axe-core's serious and critical violations, and layout problems."""
    problems = []
    for width, height in SIZES:
        driver.set_window_size(width, height)
        driver.get(url)
        assert driver.find_element("css selector", "html").get_attribute("lang") == "zh-CN", url
        driver.execute_script(axe)
        violations = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ("
            "{id: v.id, impact: v.impact, help: v.help, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
            ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), where: []}]));")
        problems += [f"{url} @{width}: {v['id']} ({v['impact']}) {v['help']} {v['where']}" for v in violations
                     if v["impact"] in ("serious", "critical")]
        inner = driver.execute_script("return window.innerWidth")
        wide = driver.execute_script("return document.documentElement.scrollWidth")
        if wide > inner + 1:
            problems.append(f"{url} @{width}: the page scrolls sideways ({wide} > {inner})")
        outline = driver.execute_script(
            "const a = document.querySelector('main a, header a:not(.skip)'); if (!a) return 'none';"
            "a.focus(); return getComputedStyle(a).outlineStyle;")
        if outline == "none":
            problems.append(f"{url} @{width}: a focused link shows no outline")
        driver.save_screenshot(str(folder / f"public-{name}-{width}x{height}.png"))
    return problems


def test_every_served_public_page_passes_axe_at_both_sizes(site, browser, axe, artefacts):  # noqa: F811
    server, ids, _, _ = site
    problems = []
    for path in served_pages(ids):
        name = path.strip("/").replace("/", "-").replace("?q=", "-q") or "home"
        problems += check(browser, axe, server.url + path, name, artefacts)
    assert not problems, "\n".join(problems)
    browser.get(server.url + "/gk/")  # every page is reached by links from /gk/
    links = {a.get_attribute("href") for a in browser.find_elements("css selector", "a")}
    assert {server.url + p for p in ("/gk/guide/", "/gk/catalogue/", "/gk/interpretations/", "/gk/reports/")} <= links


def test_the_static_site_passes_axe_and_searches_in_the_browser(site, browser, axe, artefacts):  # noqa: F811
    _, _, out, _ = site
    problems = []
    for page in STATIC_PAGES:
        file, _, query = page.partition("?")
        name = "static-" + file.replace("/index.html", "").replace("/", "-").replace(".html", "")
        problems += check(browser, axe, (out / file).as_uri() + (f"?{query}" if query else ""), name, artefacts)
    assert not problems, "\n".join(problems)
    browser.set_window_size(390, 844)
    browser.get((out / "catalogue/search/index.html").as_uri() + "?q=拓宽")
    results = browser.find_element("id", "results")
    assert PUBLIC_TITLES[0] in results.text and PUBLIC_TITLES[1] not in results.text
    results.find_element("css selector", "a").click()
    assert "政策解读" in browser.find_element("tag name", "main").text


def test_the_served_district_pages_pass_axe(site, browser, axe, artefacts):  # noqa: F811
    _, _, _, districts = site
    problems = []
    for path, name in (("/gk/", "district"), ("/gk/fga/", "district-fga"), ("/gk/fga/guide/", "district-fga-guide"),
                       ("/gk/fgb/catalogue/", "district-fgb-catalogue")):
        problems += check(browser, axe, districts.url + path, name, artefacts)
    assert not problems, "\n".join(problems)
    browser.get(districts.url + "/gk/")  # each unit's pages are reached from the district's index
    links = {a.get_attribute("href") for a in browser.find_elements("css selector", "a")}
    assert {districts.url + p for p in ("/gk/fga/", "/gk/fgb/")} <= links or \
        {districts.url + p for p in ("/gk/fga/guide/", "/gk/fgb/guide/")} <= links, links


def test_text_resized_to_200_percent_stays_on_the_page(site, browser, artefacts):  # noqa: F811
    """WCAG 1.4.4 (GB/T 37668-2019 follows it): text at 200 % loses nothing, scrolls not sideways."""
    server, ids, _, _ = site
    problems = []
    for path in ("/gk/", "/gk/guide/", "/gk/catalogue/", f"/gk/documents/{ids['notice']}.html", "/gk/reports/"):
        for width, height in SIZES:
            browser.set_window_size(width, height)
            browser.get(server.url + path)
            normal = browser.execute_script("return parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
            browser.execute_script("document.documentElement.style.fontSize = '200%'")
            big = browser.execute_script("return parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
            assert big >= 2 * normal - 0.5, (path, normal, big)
            inner = browser.execute_script("return window.innerWidth")
            wide = browser.execute_script("return document.documentElement.scrollWidth")
            if wide > inner + 1:
                problems.append(f"{path} @{width} at 200 %: the page scrolls sideways ({wide} > {inner})")
            # every heading, paragraph, cell and link is laid out inside the page's width, none hidden
            # (but what is moved off-screen on purpose: a phone's catalogue names its columns in each cell)
            outside = browser.execute_script(
                "const w = document.documentElement.clientWidth; return [...document.querySelectorAll("
                "'main h1, main h2, main p, main td, main th, main a, main li')].filter(e => {"
                "const r = e.getBoundingClientRect(); const s = getComputedStyle(e);"
                "if (r.right <= 0 && e.closest('thead')) return false;"
                "return s.visibility === 'hidden' || r.width === 0 || r.left < -1 || r.right > w + 1;"
                "}).map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 20));")
            if outside:
                problems.append(f"{path} @{width} at 200 %: cut or hidden: {outside[:5]}")
            browser.save_screenshot(str(artefacts / f"public-text200-{path.strip('/').replace('/', '-') or 'home'}-{width}.png"))
    assert not problems, "\n".join(problems)
