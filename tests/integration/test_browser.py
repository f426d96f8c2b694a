"""The report and the dbt docs site in a real browser: headless Chromium, offline.

Chromium (Debian `chromium` + `chromium-driver`) opens every report page and the static dbt
docs page from `file://` with the network switched off (DevTools offline emulation). A page
fails on any console error (and, for the report, on any Vega warning), on any request that is
not `file:` or `data:`, or when a chart container holds no SVG marks. The overview dashboard
is clicked to check that its selections filter the other panels. Full-page screenshots go to
`$REPORT_SCREENSHOTS_DIR` if set, else to a folder under pytest's temporary directory (printed).

Without Chromium, chromedriver or selenium the tests skip, saying what is missing; under
`CI=true` they fail instead, since `.ci/run` installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import dbt_run
from test_report import PAGES, BuiltReport, build_real_report

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROME_ARGUMENTS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
]
RENDER_TIMEOUT_SECONDS = 60
# dbt-docs' own page writes `<img src="{{ getIcon(...) }}">` and a webpack favicon placeholder;
# Chromium requests those literal URLs before Angular fills them in, and from file:// it logs
# each as a security error. They are dbt's, not ours, and harmless: only they are tolerated.
DBT_DOCS_KNOWN_ERRORS = ("%7B%7B%20getIcon(", "%7Brequire(")
# Marks drawn by Vega's SVG renderer: every `role-mark` group's children.
COUNT_MARKS_JS = """
const result = {};
for (const container of document.querySelectorAll('[data-chart]')) {
  const svg = container.querySelector('svg');
  result[container.getAttribute('data-chart')] = {
    status: container.getAttribute('data-rendered'),
    svg: svg !== null,
    marks: svg ? svg.querySelectorAll('g.role-mark > *').length : 0,
  };
}
return result;
"""


def _missing(reason: str) -> None:
    """Skip, or fail under CI=true, for a missing browser part."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium driven by chromedriver, offline, logging console and network."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed (pip install -r requirements.txt)")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.is_file():
            _missing(f"{path} is missing (apt-get install {package})")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROME_ARGUMENTS:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go."""
    configured = os.environ.get("REPORT_SCREENSHOTS_DIR")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory, real_warehouse: Path) -> BuiltReport:
    """The report on the real export, shared with test_report.py (built once per session)."""
    return build_real_report(tmp_path_factory, real_warehouse)


def open_page(driver: Any, path: Path) -> None:
    """Load a local page after clearing the logs of earlier pages."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri())


def wait_for_charts(driver: Any) -> dict[str, dict[str, Any]]:
    """Wait until every chart container reports drawn or failed; return their states."""
    deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS
    while True:
        states = driver.execute_script(COUNT_MARKS_JS)
        if all(state["status"] for state in states.values()) or time.monotonic() > deadline:
            return states
        time.sleep(0.1)


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked for since the last call (DevTools network events)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def save_full_page(driver: Any, path: Path) -> None:
    """A screenshot of the whole page, however long."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, min(max(height, 1000), 16000))
    time.sleep(0.3)
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1000)


@pytest.mark.real_data
@pytest.mark.parametrize("page", PAGES)
def test_report_page_renders_offline(
    browser: Any, real_report: BuiltReport, screenshots: Path, page: str
) -> None:
    """Every chart of the page draws SVG marks, with no console error and no network."""
    open_page(browser, real_report.out_dir / page)
    states = wait_for_charts(browser)
    assert states, f"{page} has no chart"
    logs = browser.get_log("browser")
    urls = requested_urls(browser)
    save_full_page(browser, screenshots / page.replace(".html", ".png"))

    problems = [entry for entry in logs if entry["level"] == "SEVERE"]
    problems += [
        entry for entry in logs if entry["level"] == "WARNING" and "WARN" in entry["message"]
    ]
    assert not problems, f"{page}: console errors/warnings: {problems}"
    for key, state in states.items():
        assert state["status"] == "true", f"{page}: chart {key} did not render ({state})"
        assert state["svg"] and state["marks"] > 0, f"{page}: chart {key} has no marks"
    remote = [url for url in urls if not url.startswith(("file:", "data:"))]
    assert not remote, f"{page} requested {remote}"


@pytest.mark.real_data
def test_every_chart_renders_somewhere(browser: Any, real_report: BuiltReport) -> None:
    """The containers found in the browser are exactly the report's charts."""
    found: set[str] = set()
    for page in PAGES:
        open_page(browser, real_report.out_dir / page)
        found |= set(wait_for_charts(browser))
    assert found == set(real_report.summary()["charts"])


@pytest.mark.real_data
def test_dashboard_selections_filter_the_other_charts(
    browser: Any, real_report: BuiltReport, screenshots: Path
) -> None:
    """Clicking 'claim', then 'banned', narrows the selection to exactly those videos."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(browser, real_report.index)
    wait_for_charts(browser)
    dashboard = '[data-chart="overview_dashboard"]'

    def selected_text() -> str:
        return browser.find_element(
            By.CSS_SELECTOR, f"{dashboard} g.dashboard_kpis_marks > text"
        ).text

    def click_bar(view: str, label: str) -> None:
        bars = browser.find_elements(By.CSS_SELECTOR, f"{dashboard} g.{view}_marks > path")
        matching = [bar for bar in bars if f": {label};" in (bar.get_attribute("aria-label") or "")]
        assert matching, f"no bar {label!r} in {view}"
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", matching[0])
        ActionChains(browser).move_to_element(matching[0]).click().perform()
        time.sleep(0.5)

    with duckdb.connect(str(real_report.db_path), read_only=True) as con:
        total, claims, banned_claims = con.execute(
            """
            select
                count(*),
                count_if(claim_status = 'claim'),
                count_if(claim_status = 'claim' and author_ban_status = 'banned')
            from marts.videos
            """
        ).fetchone()
    assert selected_text().startswith(f"Selected: {total:,} videos")
    click_bar("dashboard_claim_status", "claim")
    assert selected_text().startswith(f"Selected: {claims:,} videos")
    click_bar("dashboard_ban_status", "banned")
    assert selected_text().startswith(f"Selected: {banned_claims:,} videos")
    browser.save_screenshot(str(screenshots / "dashboard_claim_banned.png"))
    assert not [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.fixture(scope="module")
def dbt_docs_page(real_report: BuiltReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt docs generate --static` into this test's own target folder."""
    work = tmp_path_factory.mktemp("dbt_docs")
    database = work / real_report.db_path.name  # the catalog is named after the file
    shutil.copyfile(real_report.db_path, database)
    result = dbt_run(["docs", "generate", "--static"], db_path=database, work_dir=work)
    if result.returncode != 0:
        pytest.fail(f"dbt docs generate --static failed:\n{result.stdout[-4000:]}")
    page = work / "target" / "static_index.html"
    assert page.is_file()
    return page


@pytest.mark.real_data
def test_dbt_docs_static_page_works_offline(
    browser: Any, dbt_docs_page: Path, screenshots: Path
) -> None:
    """The docs site opens from file://, offline, and shows the marts' documentation."""
    from selenium.webdriver.common.by import By

    open_page(browser, dbt_docs_page)

    def wait_for_text(text: str) -> None:
        deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS
        while text not in browser.find_element(By.TAG_NAME, "body").text:
            assert time.monotonic() < deadline, f"the docs page never showed {text!r}"
            time.sleep(0.2)

    wait_for_text("tiktok_claims")
    save_full_page(browser, screenshots / "dbt_docs_overview.png")
    manifest = json.loads((dbt_docs_page.parent / "manifest.json").read_text())
    description = manifest["nodes"]["model.tiktok_claims.videos"]["description"]
    browser.get(dbt_docs_page.as_uri() + "#!/model/model.tiktok_claims.videos")
    wait_for_text(" ".join(description.split()[:6]))
    save_full_page(browser, screenshots / "dbt_docs_videos.png")

    errors = [
        entry
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE"
        and not any(known in entry["message"] for known in DBT_DOCS_KNOWN_ERRORS)
    ]
    assert not errors, f"dbt docs console errors: {errors}"
    remote = [url for url in requested_urls(browser) if not url.startswith(("file:", "data:"))]
    assert not remote, f"the docs page requested {remote}"
