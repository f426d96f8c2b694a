"""Building the report: read the warehouse once, assemble the pages, render them.

Writes into the output folder (default `reports/`, git-ignored):

- `index.html`: the executive summary, in plain words with the live figures, and the
  interactive overview dashboard (click a claim status or ban status to filter the rest);
- `distributions.html`: box plot and histogram of duration and each count, and the outliers;
- `engagement.html`: claim status by verified and ban status, median views, each claim
  status's share of views, per-view rates, and views against likes;
- `model.html`: the classifier (confusion matrix, precision-recall curve, feature importances,
  calibration, what reviewing the top of the queue catches) and the statistics (the two group
  means with confidence intervals, the regression's odds ratios);
- `charts/<key>.png`: every chart as a PNG; `summary.json`: every figure the summary quotes;
- `assets/vega-*.js`: the shared offline Vega bundle (see `report.render`).

It reads the warehouse through one read-only connection (`report.data`), so the pages stay the
same size whatever the number of videos.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import altair as alt

from ml.config import REPO_ROOT
from report import data, render
from report.figures import Figure, Page
from report.pages.dashboard import dashboard_figure
from report.pages.distributions import distributions_page
from report.pages.engagement import engagement_page
from report.pages.model import collect_model
from report.pages.summary import summary_page

log = logging.getLogger(__name__)

DEFAULT_OUT_DIR = REPO_ROOT / "reports"
PAGE_SLUGS = ("index", "distributions", "engagement", "model")


def build_pages(con: object, artifacts_dir: Path) -> tuple[list[Page], dict]:
    """Every page from an open read-only connection, and the summary's facts."""
    facts = data.collect_data_facts(con, data.measures(con)[1:])
    distributions = distributions_page(con, facts)
    engagement = engagement_page(con, facts)
    dashboard = dashboard_figure(con)
    model = collect_model(con, artifacts_dir, facts)
    pages = [summary_page(facts, dashboard, model), distributions, engagement]
    if model is not None:
        pages.append(model.page(facts))
    return pages, facts


def fingerprint(con: object) -> str:
    """A short fingerprint of the warehouse's summary figures (to tell two reports' data
    apart): a hash of the one row of `reporting.rpt_summary_figures`."""
    parts = [f"{name}={value}" for name, value in data.summary_figures(con).items()]
    return hashlib.sha256(";".join(parts).encode()).hexdigest()[:12]


def all_figures(pages: Iterable[Page]) -> list[Figure]:
    """Every figure of every page, in page order."""
    return [figure for page in pages for section in page.sections for figure in section.figures]


@contextmanager
def _phase(name: str, timings: dict[str, float]) -> Iterator[None]:
    """Time a step of the build into `timings` and log it."""
    started = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - started
    log.debug("report: %s took %.2f s", name, timings[name])


def build_report(
    db_path: Path,
    artifacts_dir: Path,
    out_dir: Path,
    *,
    png: bool = True,
    inline_js: bool = False,
    png_scale: float = render.PNG_SCALE,
    timings: dict[str, float] | None = None,
) -> Path:
    """Build every page of the report into `out_dir`; return the path of `index.html`.

    Reads `db_path` through one read-only connection and the champion's `metrics.json` under
    `artifacts_dir` where present. Raises `MlError` (with the fix in its message) when the
    warehouse or a mart is missing. Pass a dict as `timings` to get the seconds each step took.
    """
    db_path, artifacts_dir, out_dir = Path(db_path), Path(artifacts_dir), Path(out_dir)
    timings = {} if timings is None else timings
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    # Child processes start now: the Vega bundle (unless cached) and the PNG workers warm up
    # while DuckDB answers the queries.
    bundle = render.Bundle.start(out_dir / "assets")
    # Without PNGs from an earlier build here, every chart will be drawn: start the workers
    # now. Otherwise most PNGs are likely current, and workers start only if some are not.
    first_build = not (out_dir / "charts" / ".png-hashes.json").is_file()
    workers = (
        [render.start_child(render.PNG_WORKER) for _ in range(render.PNG_WORKERS)]
        if png and first_build
        else []
    )
    try:
        _build(db_path, artifacts_dir, out_dir, bundle, workers, png, inline_js, png_scale, timings)
        timings["total"] = time.perf_counter() - started
        return out_dir / "index.html"
    finally:  # on an error, stop the children and drop a half-written bundle
        for process in [*workers, bundle.process]:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        if bundle.process is not None and bundle.temporary is not None:
            bundle.temporary.unlink(missing_ok=True)


def _build(
    db_path: Path,
    artifacts_dir: Path,
    out_dir: Path,
    bundle: render.Bundle,
    workers: list[subprocess.Popen[bytes]],
    png: bool,
    inline_js: bool,
    png_scale: float,
    timings: dict[str, float],
) -> None:
    """The body of `build_report`, once its child processes are started.

    `workers` may be empty though `png` is set: they are then started once it is known that
    some chart needs drawing (the list is filled in place, for `build_report` to clean up).
    """
    with _phase("queries", timings), data.reading(db_path) as con:
        for relation in data.REQUIRED_RELATIONS:
            data.require_relation(con, relation, db_path)
        pages, facts = build_pages(con, artifacts_dir)
        data_fingerprint = fingerprint(con)
    if len(pages) < len(PAGE_SLUGS):
        log.warning(
            "report: no ml.evaluation_summary / ml.model_runs in %s: the model section is left "
            "out (run `python -m ml train`, `score` and `stats` first)",
            db_path,
        )

    with _phase("specs", timings):
        figures = all_figures(pages)
        keys = [figure.key for figure in figures]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate figure keys: {keys}")
        specs = {
            figure.key: render.finished_spec(figure.chart, render.plain_text(figure.caption))
            for figure in figures
        }

    charts_dir = out_dir / "charts"
    if not png:
        shutil.rmtree(charts_dir, ignore_errors=True)
    for stale in charts_dir.glob("*.png") if charts_dir.is_dir() else []:
        if stale.stem not in specs:
            stale.unlink()
    job_files: list[Path] = []
    if png:
        to_draw = render.charts_to_draw(specs, charts_dir, png_scale)
        if to_draw and not workers:
            workers += [
                render.start_child(render.PNG_WORKER)
                for _ in range(min(render.PNG_WORKERS, len(to_draw)))
            ]
        job_files = render.send_png_jobs(workers, to_draw, charts_dir, png_scale)

    with _phase("pages", timings):
        if inline_js:
            script = bundle.wait().read_text(encoding="utf-8").replace("</script", "<\\/script")
            vega_script = f"<script>\n{script}\n</script>"
        else:
            vega_script = f'<script src="{render.publish_bundle(out_dir, bundle.wait())}"></script>'
        generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        footer = (
            f"Generated {generated} by <code>python -m report</code> from "
            f"<code>{html.escape(db_path.name)}</code> (data fingerprint {data_fingerprint}). "
            f"Charts: Vega-Lite {html.escape(alt.SCHEMA_VERSION)}, drawn in your browser with "
            "no network access; each is also a PNG under <code>charts/</code>."
        )
        for page in pages:
            text = render.render_page(page, pages, specs, footer, vega_script)
            (out_dir / page.file_name).write_text(text, encoding="utf-8")
        for slug in set(PAGE_SLUGS) - {page.slug for page in pages}:
            (out_dir / f"{slug}.html").unlink(missing_ok=True)
        (out_dir / "summary.json").write_text(
            json.dumps(
                {
                    "generated": generated,
                    "fingerprint": data_fingerprint,
                    "pages": [page.file_name for page in pages],
                    "charts": keys,
                    "facts": facts.as_json(),
                },
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
    if job_files:
        with _phase("png", timings):
            for worker in workers:
                render.finish_child(worker, "drawing the PNGs")
            for job_file in job_files:
                job_file.unlink()
    else:
        for worker in workers:
            render.finish_child(worker, "a PNG worker")
