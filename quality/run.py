"""Page quality: the public pages as production serves them, judged by the web's own judges.

Starts a throwaway database, gunicorn with production settings and the email worker on
127.0.0.1, then: a visitor signs and confirms in Chromium (with and without JavaScript),
comments (held, then shown once approved) and switches language; axe-core and the Nu HTML
Checker go through every public page in both languages; Lighthouse scores the petition page
on a phone; the page's bytes are added up. Stops everything by itself and exits non-zero if
any check fails. Run it with `make quality`.
Screenshots, the saved pages and Lighthouse's report land in var/quality/.
"""

import os
import shutil
import sys
import tempfile
import time
import traceback

from playwright.sync_api import sync_playwright

from ops.production import ROOT, running_site
from quality.browser import (
    CAPTCHA,
    NARROWEST,
    altcha_solve_times,
    comment_and_moderate,
    first_screen,
    language_switch,
    launch,
    petition_path,
    screenshots,
    sign_and_confirm,
)
from quality.checks import axe_and_save_html, lighthouse, page_weight, validate_html

OUT = ROOT / "var" / "quality"
LIGHTHOUSE_MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
MAX_WEIGHT = 40_000  # bytes: HTML + CSS + our JS, compressed


class Report:
    def __init__(self):
        self.failed = []

    def check(self, name, run):
        """Run one check; a failure is reported and the other checks still run."""
        started = time.monotonic()
        try:
            detail = run()
        except Exception as error:  # reported; the other checks still run
            self.failed.append(name)
            print(f"FAIL {name}: {error}", flush=True)
            traceback.print_exc(limit=3)
            return None
        shown = detail if isinstance(detail, str) else "done"
        print(f"ok   {name} ({time.monotonic() - started:.0f} s): {shown}", flush=True)
        return detail

    def require(self, name, ok, lines=()):
        if not ok:
            self.failed.append(name)
        for line in lines:
            print(f"     {line}")


def approve(manage, author):
    """Publish the comments by `author` through the same code as the admin's action."""
    manage(
        "shell",
        "-c",
        "from signatures import moderation; from signatures.models import Comment; "
        f"moderation.approve(Comment.objects.filter(author_name={author!r}))",
    )


def main():
    started = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)
    htmldir = OUT / "html"
    htmldir.mkdir(parents=True)
    report = Report()
    with (
        tempfile.TemporaryDirectory(prefix="petition-quality-") as workdir,
        running_site(
            workdir=workdir,
            log_dir=OUT,
            server=os.environ.get("QUALITY_DB_SERVER", "postgres://postgres@127.0.0.1:5432"),
            # Its own name per checkout when asked, so parallel runs never collide.
            database_name=os.environ.get("QUALITY_DB_NAME", "petition_quality_pages"),
            # The CAPTCHA the pages are judged with (quality/browser.py).
            CAPTCHA=CAPTCHA,
            # Two workers, as on two cores.
            GUNICORN_WORKERS=2,
            GUNICORN_ACCESS_LOG="",
            GUNICORN_LOG_LEVEL="warning",
            LOG_LEVEL="WARNING",
        ) as site,
    ):
        base, manage, maildir = site.url, site.manage, site.mail_dir
        print(
            f"site: {base} (production settings, CAPTCHA={CAPTCHA}, 2 gunicorn workers, "
            "db_worker; their output in var/quality/web.log, worker.log and manage.log)",
            flush=True,
        )
        with sync_playwright() as playwright:
            browser = launch(playwright)
            report.check(
                "sign → email → confirm (ru, 360 px, JavaScript on)",
                lambda: sign_and_confirm(
                    browser, base, maildir, javascript=True, address="visitor@example.org"
                ),
            )
            report.check(
                "sign → email → confirm (ru, 360 px, JavaScript off)",
                lambda: sign_and_confirm(
                    browser, base, maildir, javascript=False, address="no-js@example.org"
                ),
            )
            report.check(
                "comment → moderation → shown (ru, 360 px)",
                lambda: comment_and_moderate(browser, base, lambda author: approve(manage, author)),
            )
            report.check("language switch keeps the page", lambda: language_switch(browser, base))
            report.check(
                "first screen: count and a way to sign (360×640), side column (1280×800)",
                lambda: first_screen(browser, base, OUT),
            )

            solve = CAPTCHA == "altcha" and report.check(
                "ALTCHA solve time (ru, 360 px; CPU 1× and 4×)",
                lambda: altcha_solve_times(browser, base),
            )
            if solve:
                for rate, (work, wall) in solve.items():
                    print(f"     CPU {rate}×: proof of work {work} ms, to the tick {wall} ms")
            report.check("screenshots in var/quality/", lambda: screenshots(browser, base, OUT))
            judged = report.check(
                "axe-core and the 320 px width of every public page",
                lambda: axe_and_save_html(browser, base, maildir, htmldir),
            )
            browser.close()

        axe_count = None
        if judged is not None:
            violations, widths = judged
            too_wide = {page: width for page, width in widths.items() if width > NARROWEST["width"]}
            report.require(
                "no page scrolls sideways at 320 px",
                not too_wide,
                [f"{page}: {width} px wide at 320 px" for page, width in too_wide.items()],
            )
            print(
                f"     widest page at 320 px: {max(widths.values())} px "
                f"({len(widths)} pages, both languages)"
            )
            axe_count = sum(len(found) for found in violations.values())
            report.require(
                "axe violations",
                axe_count == 0,
                [f"{page}: {v}" for page, found in violations.items() for v in found],
            )
            print(
                f"     axe: {axe_count} violations on {len(violations)} pages "
                f"({len(violations) // 2} in each language), each at 360 and 1280 px"
            )

        vnu = report.check("Nu HTML Checker", lambda: validate_html(htmldir))
        vnu_count = warning_count = None
        if vnu is not None:
            errors, warnings = vnu
            vnu_count = sum(len(found) for found in errors.values())
            warning_count = sum(len(found) for found in warnings.values())
            report.require(
                "HTML errors and warnings",
                vnu_count == warning_count == 0,
                [
                    f"{name}: {message}"
                    for found in (errors, warnings)
                    for name, messages in found.items()
                    for message in messages
                ],
            )
            print(f"     vnu: {vnu_count} errors, {warning_count} warnings in {len(errors)} pages")

        scores = {}
        result = report.check(
            "Lighthouse, mobile, petition page (ru), median of 5 runs",
            lambda: lighthouse(base + petition_path("ru"), OUT),
        )
        if result is not None:
            scores, every, median, lost = result
            print(f"     performance of each run: {every}; report: lighthouse-{median}.report.html")
            below = [
                f"{key} {scores.get(key)} < {minimum}"
                for key, minimum in LIGHTHOUSE_MINIMUM.items()
                if scores.get(key, 0) < minimum
            ]
            report.require("Lighthouse scores", not below, below + [f"lost: {a}" for a in lost])
            print("     " + ", ".join(f"{key} {value}" for key, value in scores.items()))

        weight = report.check(
            "page weight, petition page (ru)", lambda: page_weight(base, petition_path("ru"))
        )
        total = None
        if weight is not None:
            total = sum(weight.values())
            report.require("page weight", total <= MAX_WEIGHT)
            parts = ", ".join(f"{name} {size:,} B" for name, size in weight.items())
            print(f"     {total:,} bytes ≤ {MAX_WEIGHT:,}? {total <= MAX_WEIGHT} ({parts})")

    seconds = time.monotonic() - started
    print(
        f"performance={scores.get('performance')} accessibility={scores.get('accessibility')} "
        f"best_practices={scores.get('best-practices')} seo={scores.get('seo')} "
        f"axe_violations={axe_count} vnu_errors={vnu_count} vnu_warnings={warning_count} "
        f"weight_bytes={total} seconds={seconds:.0f}"
    )
    if report.failed:
        print("FAILED: " + "; ".join(report.failed))
        return 1
    print("All page quality checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
