"""The judges: axe-core, the Nu HTML Checker, Lighthouse, and the page's weight."""

import gzip
import json
import os
import re
import subprocess
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from quality.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    DESKTOP,
    NARROWEST,
    PHONE,
    SLUG,
    read_links,
    sign,
)

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
LANGUAGES = ("ru", "en")


def public_pages(confirm_token, withdraw_token):
    """(name, path or None for the sign form sent empty) of every page the public can see."""
    petition = f"/{{}}/petitions/{SLUG}/"
    return [
        ("home", "/{}/"),
        ("petition", petition),
        ("sign", petition + "sign/"),
        ("sign-errors", None),
        ("check-email", petition + "check-your-email/"),
        ("confirm", f"/{{}}/signatures/confirm/{confirm_token}/"),
        ("thanks", petition + "thanks/"),
        ("withdraw", f"/{{}}/signatures/withdraw/{withdraw_token}/"),
        ("withdrawn", "/{}/signatures/withdrawn/"),
        ("link-invalid", "/{}/signatures/confirm/not-a-token/"),
        ("privacy", "/{}/privacy/"),
        ("poster", petition + "poster/"),
        ("404", "/{}/no-such-page/"),
    ]


def _token(url):
    return url.rstrip("/").rsplit("/", 1)[1]


def _run_axe(page):
    page.add_script_tag(path=AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def axe_and_save_html(browser, base, maildir, htmldir):
    """Run axe on every public page in both languages at 360 and 1280 px; save each page's
    HTML as served, for the Nu HTML Checker; measure each page's width on a 320 px screen.
    Returns {page: [violation, ...]} and {page: width in px}."""
    # A signature nobody confirms, so its links show the confirm and withdraw pages.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign(page, base, "ru", "Бакыт Осмонов", "pending@example.org", region="osh")
    context.close()
    confirm_url, withdraw_url = read_links(maildir, "pending@example.org")

    # axe's script arrives inline, which the site's Content Security Policy rightly blocks:
    # only these contexts bypass it.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    violations = {}
    widths = {}
    try:
        for language in LANGUAGES:
            for name, path in public_pages(_token(confirm_url), _token(withdraw_url)):
                if path is None:
                    page.goto(f"{base}/{language}/petitions/{SLUG}/sign/")
                    with page.expect_response(lambda r: r.request.method == "POST") as posted:
                        page.locator("form.sign-form button[type=submit]").click()
                    response = posted.value
                    page.wait_for_load_state()
                    assert response.status == 400, f"sign-errors answered {response.status}"
                else:
                    response = page.goto(base + path.format(language))
                (htmldir / f"{language}-{name}.html").write_bytes(response.body())
                found = []
                for viewport in (PHONE, DESKTOP):
                    page.set_viewport_size(viewport)
                    found += [f"{viewport['width']} px: {v}" for v in _run_axe(page)]
                page.set_viewport_size(NARROWEST)
                widths[f"{language}-{name}"] = page.evaluate("document.documentElement.scrollWidth")
                page.set_viewport_size(PHONE)
                violations[f"{language}-{name}"] = found
    finally:
        context.close()
    return violations, widths


def validate_html(htmldir):
    """{file: [error, ...]} and {file: [warning, ...]} from the Nu HTML Checker."""
    files = sorted(htmldir.glob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors = {path.name: [] for path in files}
    warnings = {}
    for message in json.loads(result.stderr)["messages"]:
        name = Path(urllib.request.url2pathname(message.get("url", "").removeprefix("file:"))).name
        line = f"line {message.get('lastLine', '?')}: {message['message']}"
        if message["type"] == "info" and message.get("subType") == "warning":
            warnings.setdefault(name, []).append(line)
        elif message["type"] != "info":
            errors.setdefault(name, []).append(line)
    return errors, warnings


def _lighthouse_once(url, output_path, attempts=5):
    """One Lighthouse run. Now and then the trace it records lacks an event (NO_NAVSTART,
    NO_FCP) and it stops with "Please run Lighthouse again.": then it runs again."""
    for attempt in range(1, attempts + 1):
        result = subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--form-factor=mobile",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--output=json",
                "--output=html",
                f"--output-path={output_path}",
                "--chrome-flags=" + " ".join(CHROMIUM_FLAGS),
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode == 0:
            return json.loads(output_path.with_suffix(".report.json").read_text())
        said = (result.stdout + result.stderr).strip()
        if "run Lighthouse again" not in said or attempt == attempts:
            raise RuntimeError(f"Lighthouse failed: {said[-2000:]}")
        print(f"     Lighthouse asked to be run again: {said[-200:]}", flush=True)


def lighthouse(url, outdir, runs=5):
    """Category scores (0-100) of the median of a few mobile Lighthouse runs, every run's
    performance score, and the audits that lost points in the median run.

    Lighthouse's own advice: performance varies between runs on a shared machine (here two
    cores), so judge the run with the median performance score.
    """
    reports = []
    for number in range(1, runs + 1):
        report = _lighthouse_once(url, outdir / f"lighthouse-{number}")
        reports.append((report["categories"]["performance"]["score"], number, report))
    reports.sort(key=lambda item: item[:2])
    _, median, report = reports[len(reports) // 2]
    every = [round(score * 100) for score, _, _ in sorted(reports, key=lambda item: item[1])]
    scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
    lost = [
        f"{audit['id']}: {audit['title']}"
        + (f" ({audit['displayValue']})" if audit.get("displayValue") else "")
        for audit in report["audits"].values()
        if audit["score"] is not None
        and audit["score"] < 1
        and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
    ]
    return scores, every, median, lost


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def page_weight(base, path):
    """Bytes on the wire of the page's HTML (gzip, as a proxy would send it) and of its own
    CSS and JS (as whitenoise sends them, brotli or gzip)."""
    with urllib.request.urlopen(base + path, timeout=10) as response:
        html = response.read()
    parts = {"HTML (gzip -6)": len(gzip.compress(html, compresslevel=6))}
    assets = _Assets()
    assets.feed(html.decode())
    for url in assets.urls:
        if re.match(r"https?://", url) and not url.startswith(base):
            continue  # not ours (the CAPTCHA's script, when it is on)
        request = urllib.request.Request(
            urllib.parse.urljoin(base + path, url), headers={"Accept-Encoding": "br, gzip"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            encoding = response.headers.get("Content-Encoding", "identity")
            parts[f"{url.rsplit('/', 1)[1]} ({encoding})"] = len(response.read())
    return parts
