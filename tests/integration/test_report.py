"""The stakeholder report (`python -m report`) on the real export.

A copy of the real warehouse gets the `ml` tables (`ml train --fast`, `score`, `stats`, as a
user runs them), then the report is built from it. The tests check that every figure the
summary quotes equals the same figure computed here, independently, with pandas from the
marts and `ml` tables; that every chart of the issue is there, as a container and a PNG;
that the pages load nothing from the network and embed only small aggregates; that the report
reads only `reporting.*` and `ml.*` through a read-only connection, with no SQL aggregation in
its Python; and that it still builds,
without the model section, before any model was trained.

`build_real_report` is shared with the browser test (`test_browser.py`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema

import report
from ml.errors import MlError
from report import data as rc
from report import pages as report_pages
from report.__main__ import main as report_main
from report.build import all_figures, build_pages
from report.facts import outlier_rule

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGES = ["index.html", "distributions.html", "engagement.html", "model.html"]
MEASURES = [
    "video_duration_sec",
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
]
# Every chart issue 4 lists (plus the review-queue curve), by its key.
EXPECTED_CHARTS = {
    *(f"distribution_{measure}" for measure in MEASURES),
    "claims_by_verified",
    "claims_by_ban_status",
    "median_views_by_ban_status",
    "median_views_by_claim_status",
    "view_share_by_claim_status",
    "outliers",
    "views_vs_likes",
    "views_vs_likes_opinions",
    "engagement_ratios",
    "overview_dashboard",
    "confusion_matrix",
    "precision_recall",
    "feature_importance",
    "calibration",
    "views_by_verified_means",
    "verified_regression",
    "review_queue_capture",
}
MODEL_CHARTS = {
    "confusion_matrix",
    "precision_recall",
    "feature_importance",
    "calibration",
    "views_by_verified_means",
    "verified_regression",
    "review_queue_capture",
}
MAX_REPORT_BYTES = 5_000_000
MAX_AGGREGATE_ROWS = 1_000
RTOL = 1e-9


# --------------------------------------------------------------------------------------------
# Building the report once per session (shared with test_browser.py)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltReport:
    """A warehouse copy with `ml` tables, its artifacts, and the report built from it."""

    db_path: Path
    artifacts_dir: Path
    out_dir: Path

    @property
    def index(self) -> Path:
        """The executive summary page."""
        return self.out_dir / "index.html"

    def summary(self) -> dict[str, Any]:
        """`summary.json`: pages, chart keys and every fact."""
        return json.loads((self.out_dir / "summary.json").read_text(encoding="utf-8"))


def run_ml(command: str, db_path: Path, artifacts_dir: Path, *extra: str) -> None:
    """`python -m ml <command>` on `db_path`, failing the test with its output."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ml",
            command,
            "--db-path",
            str(db_path),
            "--artifacts-dir",
            str(artifacts_dir),
            *extra,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"python -m ml {command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


def copy_warehouse(source: Path, target: Path, drop_schemas: tuple[str, ...] = ("ml",)) -> Path:
    """Copy a DuckDB file and drop the given schemas from the copy.

    Keep the file name: DuckDB names the catalog after the file, and dbt's views may name it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as con:
        for schema in drop_schemas:
            con.execute(f"drop schema if exists {schema} cascade")
    return target


def build_real_report(
    tmp_path_factory: pytest.TempPathFactory, real_warehouse: Path
) -> BuiltReport:
    """Train, score and run the statistics on a copy of the real warehouse, then build the report.

    Done once per session: later calls (from any test module) find the finished report.
    """
    work = tmp_path_factory.getbasetemp() / "report_real"
    built = BuiltReport(work / real_warehouse.name, work / "artifacts", work / "reports")
    done = work / "DONE"
    if done.is_file():
        return built
    if work.exists():
        shutil.rmtree(work)
    copy_warehouse(real_warehouse, built.db_path)
    run_ml("train", built.db_path, built.artifacts_dir, "--fast")
    run_ml("score", built.db_path, built.artifacts_dir)
    run_ml("stats", built.db_path, built.artifacts_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIKTOK_CLAIMS_CACHE", str(work / "cache"))  # no Vega bundle cached yet
        report.build_report(built.db_path, built.artifacts_dir, built.out_dir)
    done.write_text("ok\n")
    return built


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory, real_warehouse: Path) -> BuiltReport:
    """The report built from the real export with trained `ml` tables."""
    return build_real_report(tmp_path_factory, real_warehouse)


# --------------------------------------------------------------------------------------------
# Reading the pages back
# --------------------------------------------------------------------------------------------


class PageParser(HTMLParser):
    """Collects facts (`data-fact` spans), chart containers, spec JSON, scripts and links."""

    def __init__(self) -> None:
        super().__init__()
        self.facts: dict[str, tuple[str, str]] = {}
        self.charts: list[str] = []
        self.specs: dict[str, str] = {}
        self.script_sources: list[str] = []
        self.script_types: list[str] = []
        self.urls: list[str] = []
        self._fact: tuple[str, str] | None = None
        self._fact_text: list[str] = []
        self._spec: str | None = None
        self._spec_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "href"):
            if name in values:
                self.urls.append(values[name])
        if tag == "span" and "data-fact" in values:
            self._fact = (values["data-fact"], values.get("data-value", ""))
            self._fact_text = []
        if "data-chart" in values:
            self.charts.append(values["data-chart"])
        if tag == "script":
            self.script_types.append(values.get("type", ""))
            if "src" in values:
                self.script_sources.append(values["src"])
            if values.get("id", "").startswith("spec-"):
                self._spec = values["id"][len("spec-") :]
                self._spec_text = []

    def handle_data(self, data: str) -> None:
        if self._fact is not None:
            self._fact_text.append(data)
        if self._spec is not None:
            self._spec_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._fact is not None:
            name, value = self._fact
            self.facts[name] = (value, "".join(self._fact_text))
            self._fact = None
        if tag == "script" and self._spec is not None:
            self.specs[self._spec] = "".join(self._spec_text)
            self._spec = None


def parse_page(path: Path) -> PageParser:
    """The parsed page."""
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_facts(out_dir: Path) -> dict[str, tuple[str, str]]:
    """Every `data-fact` of every page: name -> (raw value, visible text)."""
    facts: dict[str, tuple[str, str]] = {}
    for page in out_dir.glob("*.html"):
        for name, fact in parse_page(page).facts.items():
            if name in facts:
                assert facts[name] == fact, f"fact {name} differs between pages"
            facts[name] = fact
    return facts


# --------------------------------------------------------------------------------------------
# The oracle: each fact recomputed with pandas from the marts and ml tables
# --------------------------------------------------------------------------------------------


def read(db_path: Path, sql: str) -> pd.DataFrame:
    """A query's result as a plain pandas frame (read-only connection)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        frame = con.execute(sql).df()
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        ):
            frame[column] = frame[column].astype("float64")
    return frame


def median(values: pd.Series) -> float:
    """pandas' median (linear interpolation), as the original analysis computed it."""
    return float(values.dropna().astype("float64").median())


def expected_facts(db_path: Path, metrics_file: Path) -> dict[str, Any]:
    """Every figure of the summary, from the marts and `ml` tables, without the report's code."""
    videos = read(db_path, "select * from marts.videos")
    outliers = read(db_path, "select * from marts.outlier_summary")
    claim = videos["claim_status"] == "claim"
    opinion = videos["claim_status"] == "opinion"
    labeled = videos["is_labeled"].astype(bool)
    complete = videos["has_complete_features"].astype(bool)
    verified = videos["verified_status"] == "verified"
    not_active = videos["author_ban_status"] != "active"
    ban = videos["author_ban_status"]
    views = videos["video_view_count"]
    flags = [f"{column}_is_outlier" for column in outliers["column_name"]]
    any_outlier = videos[flags].fillna(False).astype(bool).any(axis=1)

    facts: dict[str, Any] = {
        "videos_total": len(videos),
        "videos_labeled": int(labeled.sum()),
        "videos_unlabeled": int((~labeled).sum()),
        "videos_complete": int(complete.sum()),
        "videos_incomplete": int((~complete).sum()),
        "claims": int(claim.sum()),
        "opinions": int(opinion.sum()),
        "verified_labeled": int((verified & labeled).sum()),
        "claims_not_active": int((claim & not_active).sum()),
        "opinions_not_active": int((opinion & not_active).sum()),
        "videos_any_outlier": int(any_outlier.sum()),
        "training_rows": len(read(db_path, "select video_id from marts.claim_features")),
        "median_views_claim": median(views[claim]),
        "median_views_opinion": median(views[opinion]),
        "median_views_active": median(views[ban == "active"]),
        "median_views_under_review": median(views[ban == "under review"]),
        "median_views_banned": median(views[ban == "banned"]),
        "median_shares_active": median(videos.loc[ban == "active", "video_share_count"]),
        "median_shares_banned": median(videos.loc[ban == "banned", "video_share_count"]),
        "claim_share_of_views": views[claim].sum() / views.sum(),
        "outlier_rule": "median + 1.5 \u00d7 IQR",
    }
    facts["labeled_share"] = facts["videos_labeled"] / facts["videos_total"]
    facts["complete_share"] = facts["videos_complete"] / facts["videos_total"]
    facts["claim_share"] = facts["claims"] / facts["videos_labeled"]
    facts["opinion_share"] = facts["opinions"] / facts["videos_labeled"]
    facts["verified_opinion_share"] = int((verified & opinion).sum()) / facts["verified_labeled"]
    facts["claims_not_active_share"] = facts["claims_not_active"] / facts["claims"]
    facts["opinions_not_active_share"] = facts["opinions_not_active"] / facts["opinions"]
    facts["any_outlier_share"] = facts["videos_any_outlier"] / facts["videos_total"]
    facts["median_views_claim_to_opinion"] = (
        facts["median_views_claim"] / facts["median_views_opinion"]
    )
    facts["median_views_banned_to_active"] = (
        facts["median_views_banned"] / facts["median_views_active"]
    )
    facts["median_shares_banned_to_active"] = (
        facts["median_shares_banned"] / facts["median_shares_active"]
    )
    for rate in ("likes", "shares", "comments"):
        facts[f"mean_{rate}_per_view_claim"] = videos.loc[claim, f"{rate}_per_view"].mean()
        facts[f"mean_{rate}_per_view_opinion"] = videos.loc[opinion, f"{rate}_per_view"].mean()
    for row in outliers.itertuples():
        facts[f"outliers_{row.column_name}"] = int(row.outlier_count)
        facts[f"outlier_threshold_{row.column_name}"] = float(row.threshold)
    names = {
        "video_view_count": "views",
        "video_like_count": "likes",
        "video_share_count": "shares",
        "video_download_count": "downloads",
        "video_comment_count": "comments",
    }
    fewest = outliers.loc[outliers["outlier_count"].idxmin(), "column_name"]
    most = outliers.loc[outliers["outlier_count"].idxmax(), "column_name"]
    facts["outliers_fewest_column"] = names[fewest]
    facts["outliers_most_column"] = names[most]

    # The classifier: recomputed from ml.claim_predictions joined to the labels.
    predictions = read(db_path, "select * from ml.claim_predictions")
    runs = read(db_path, "select model_name, is_champion, run_id, metrics from ml.model_runs")
    joined = predictions.merge(videos[["video_id", "is_claim", "is_labeled"]], on="video_id")
    test = joined[(joined["split"] == "test") & joined["claim_probability"].notna()]
    actual = test["is_claim"].astype(bool)
    predicted = test["predicted_is_claim"].astype(bool)
    tp, fp = int((actual & predicted).sum()), int((~actual & predicted).sum())
    fn, tn = int((actual & ~predicted).sum()), int((~actual & ~predicted).sum())
    run_id = predictions["model_run_id"].iloc[0]
    champion = predictions["model_name"].iloc[0]
    metrics = json.loads(metrics_file.read_text())
    facts.update(
        {
            "model_run_id": run_id,
            "model_name": champion,
            "model_title": metrics["models"][champion]["title"],
            "test_videos": len(test),
            "test_claims": tp + fn,
            "test_true_positive": tp,
            "test_false_positive": fp,
            "test_false_negative": fn,
            "test_true_negative": tn,
            "test_recall": tp / (tp + fn),
            "test_precision": tp / (tp + fp),
            "test_accuracy": (tp + tn) / len(test),
            "queue_videos": len(predictions),
            "queue_flagged": int(predictions["predicted_is_claim"].fillna(False).sum()),
            "queue_unscored": int(predictions["claim_probability"].isna().sum()),
        }
    )
    unlabeled = predictions["split"] == "unlabeled"
    facts["backlog_unlabeled"] = int(unlabeled.sum())
    facts["backlog_unlabeled_flagged"] = int(
        predictions.loc[unlabeled, "predicted_is_claim"].fillna(False).sum()
    )
    facts["backlog_unlabeled_unscored"] = int(
        predictions.loc[unlabeled, "claim_probability"].isna().sum()
    )
    queue = test.sort_values("review_priority")
    top_n = tp + fn
    facts["top_n"] = top_n
    facts["top_n_caught"] = int(queue["is_claim"].astype(bool).head(top_n).sum())
    facts["top_n_caught_share"] = facts["top_n_caught"] / top_n
    facts["top_n_random_caught"] = top_n * top_n / len(test)
    facts["test_brier"] = float(
        ((test["claim_probability"] - test["is_claim"].astype(float)) ** 2).mean()
    )
    with_views = test.merge(videos[["video_id", "video_view_count"]], on="video_id")
    claim_views = (
        with_views["video_view_count"]
        .fillna(0)
        .astype(float)
        .where(with_views["is_claim"].astype(bool), 0.0)
    )
    tenth = len(with_views) // 10
    for key, order in (
        ("harm", with_views.sort_values("review_priority").index),
        (
            "probability",
            with_views.sort_values(
                ["claim_probability", "video_id"], ascending=[False, True]
            ).index,
        ),
    ):
        facts[f"tenth_views_share_{key}"] = claim_views[order[:tenth]].sum() / claim_views.sum()
    drift = read(db_path, "select * from ml.score_drift")
    last = drift[drift["scored_at"] == drift["scored_at"].max()]
    scoring_runs = read(db_path, "select * from ml.scoring_runs")
    facts["drift_videos"] = int(last["videos"].iloc[0])
    facts["drift_features"] = len(last)
    facts["drift_drifted"] = int(last["drifted"].sum())
    facts["drift_run_mode"] = scoring_runs.loc[
        scoring_runs["scored_at"] == last["scored_at"].iloc[0], "mode"
    ].iloc[0]
    facts["drift_scored_at"] = (
        last["scored_at"].iloc[0].tz_convert("UTC").strftime("%Y-%m-%d %H:%M UTC")
    )
    baseline = runs[(runs["run_id"] == run_id) & (runs["model_name"] == "rf_baseline")]
    baseline_test = json.loads(baseline["metrics"].iloc[0])["test"]
    facts["baseline_test_recall"] = baseline_test["recall"]
    facts["baseline_test_false_negative"] = baseline_test["confusion_matrix"]["false_negative"]
    floor = metrics["selection"]["precision_floor"]
    facts["selection_rule"] = (
        f"highest validation recall with validation precision of at least {floor}"
    )

    # The statistics: ml.hypothesis_tests, and each group's own t interval from the marts.
    t_test = read(db_path, "select * from ml.hypothesis_tests").iloc[0]
    means = {t_test["group_a"]: t_test["mean_a"], t_test["group_b"]: t_test["mean_b"]}
    facts.update(
        {
            "t_test_alpha": t_test["alpha"],
            "t_test_mean_verified": means["verified"],
            "t_test_mean_not_verified": means["not verified"],
            "t_test_statistic": t_test["t_statistic"],
            "t_test_degrees_of_freedom": t_test["degrees_of_freedom"],
            "t_test_p_value": t_test["p_value"],
            "t_test_decision": "rejected" if t_test["reject_null"] else "kept",
            "t_test_higher_group": (
                "verified" if means["verified"] > means["not verified"] else "unverified"
            ),
        }
    )
    from scipy import stats as scipy_stats

    for status, group in videos.groupby("verified_status"):
        values = group["video_view_count"].dropna().astype("float64")
        low, high = scipy_stats.t.interval(
            0.95, len(values) - 1, loc=values.mean(), scale=scipy_stats.sem(values)
        )
        key = status.replace(" ", "_")
        facts[f"ci_low_{key}"] = low
        facts[f"ci_high_{key}"] = high
    return facts


def as_value(raw: str) -> Any:
    """A `data-value` (JSON) back to a Python value."""
    return None if raw == "" else json.loads(raw)


# --------------------------------------------------------------------------------------------
# Tests on the real export
# --------------------------------------------------------------------------------------------


@pytest.mark.real_data
def test_summary_figures_equal_the_marts(real_report: BuiltReport) -> None:
    """Every figure the pages quote equals the oracle's, and every figure has an oracle."""
    shown = page_facts(real_report.out_dir)
    expected = expected_facts(real_report.db_path, real_report.artifacts_dir / "metrics.json")
    unchecked = sorted(set(shown) - set(expected))
    assert not unchecked, f"figures on the pages without an oracle: {unchecked}"
    for name, (raw, _text) in shown.items():
        got, want = as_value(raw), expected[name]
        if isinstance(want, str):
            assert got == want, f"{name}: page says {got!r}, marts say {want!r}"
        else:
            assert got is not None, f"{name} is missing on the page"
            assert math.isclose(float(got), float(want), rel_tol=RTOL, abs_tol=1e-12), (
                f"{name}: page says {got!r}, marts say {want!r}"
            )
    summary = real_report.summary()["facts"]
    assert {name: as_value(raw) for name, (raw, _) in shown.items()} == {
        name: summary[name]["value"] for name in shown
    }


@pytest.mark.real_data
def test_summary_quotes_the_known_real_figures(real_report: BuiltReport) -> None:
    """The texts people read: the original analysis's headline figures, formatted."""
    shown = {name: text for name, (_, text) in page_facts(real_report.out_dir).items()}
    assert shown["videos_total"] == "19,382"
    assert shown["claims"] == "9,608"
    assert shown["opinions"] == "9,476"
    assert shown["videos_unlabeled"] == "298"
    assert shown["median_views_claim"] == "501,555"
    assert shown["median_views_opinion"] == "4,953"
    assert shown["outliers_video_view_count"] == "2,343"
    assert shown["outlier_rule"] == "median + 1.5 \u00d7 IQR"
    assert shown["t_test_p_value"].startswith("2.6 \u00d7 10\u207b\u00b9\u00b2\u2070")
    assert shown["t_test_decision"] == "rejected"


@pytest.mark.real_data
def test_model_figures_match_the_recorded_run(real_report: BuiltReport) -> None:
    """The test confusion matrix recomputed from the predictions equals `ml.model_runs`'."""
    summary = real_report.summary()["facts"]
    runs = read(
        real_report.db_path,
        "select metrics from ml.model_runs where is_champion and run_id = "
        f"'{summary['model_run_id']['value']}'",
    )
    recorded = json.loads(runs["metrics"].iloc[0])["test"]["confusion_matrix"]
    for key in ("true_positive", "false_positive", "false_negative", "true_negative"):
        assert summary[f"test_{key}"]["value"] == recorded[key], key


@pytest.mark.real_data
def test_model_page_shows_the_last_runs_drift(real_report: BuiltReport) -> None:
    """The drift table: every row of the last scoring run's `ml.score_drift`, by PSI."""
    drift = read(real_report.db_path, "select * from ml.score_drift")
    last = drift[drift["scored_at"] == drift["scored_at"].max()]
    last = last.sort_values(["psi", "feature"], ascending=[False, True])
    page = (real_report.out_dir / "model.html").read_text(encoding="utf-8")
    cells = re.findall(r"<tr><td>([^<]+)</td><td>([0-9.]+)</td>", page.split('id="drift"')[1])
    expected = [(row.feature, f"{row.psi:.4f}") for row in last.itertuples()]
    assert cells[: len(expected)] == expected


@pytest.mark.real_data
def test_every_chart_is_present_with_a_png(real_report: BuiltReport) -> None:
    """Each chart of the issue has a container on exactly one page and a PNG."""
    summary = real_report.summary()
    assert summary["pages"] == PAGES
    assert set(summary["charts"]) == EXPECTED_CHARTS
    containers: list[str] = []
    for page in PAGES:
        parsed = parse_page(real_report.out_dir / page)
        containers += parsed.charts
        assert set(parsed.charts) == set(parsed.specs), f"{page}: chart without a spec"
    assert sorted(containers) == sorted(EXPECTED_CHARTS)
    for key in EXPECTED_CHARTS:
        png = real_report.out_dir / "charts" / f"{key}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"


@pytest.mark.real_data
def test_pages_are_self_contained_and_small(real_report: BuiltReport) -> None:
    """No network URL is loaded; one shared classic-script bundle; the report stays small."""
    bundles = set()
    for page in PAGES:
        parsed = parse_page(real_report.out_dir / page)
        for url in parsed.urls:
            assert not re.match(r"^(https?:)?//", url), f"{page} loads {url}"
        assert "module" not in parsed.script_types, "module scripts do not load from file://"
        assert len(parsed.script_sources) == 1
        bundles.update(parsed.script_sources)
    assert len(bundles) == 1, "every page shares one Vega bundle"
    assert (real_report.out_dir / bundles.pop()).is_file()
    size = sum(path.stat().st_size for path in real_report.out_dir.rglob("*") if path.is_file())
    assert size < MAX_REPORT_BYTES, f"report is {size:,} bytes"


@pytest.mark.real_data
def test_charts_embed_aggregates_not_rows(real_report: BuiltReport) -> None:
    """Every chart's data is a few hundred rows at most (the scatter: a fixed-size sample)."""
    for page in PAGES:
        for key, text in parse_page(real_report.out_dir / page).specs.items():
            spec = json.loads(text)
            limit = rc.SCATTER_SAMPLE_ROWS if key.startswith("views_vs_likes") else None
            for name, rows in spec.get("datasets", {}).items():
                assert len(rows) <= (limit or MAX_AGGREGATE_ROWS), f"{key}/{name}: {len(rows)}"


@pytest.mark.real_data
def test_every_spec_is_valid_vega_lite(real_report: BuiltReport) -> None:
    """Each chart's spec passes the Vega-Lite schema altair ships (the build skips this check)."""
    schema = load_schema()
    for page in PAGES:
        for key, text in parse_page(real_report.out_dir / page).specs.items():
            try:
                validate_jsonschema(json.loads(text), schema)
            except Exception as error:
                pytest.fail(f"{page}: chart {key} is not valid Vega-Lite: {error}")


@pytest.mark.real_data
def test_scatter_sample_is_deterministic(real_report: BuiltReport) -> None:
    """The views-vs-likes sample is the same on every run and capped in size."""
    with duckdb.connect(str(real_report.db_path), read_only=True) as con:
        first, population = rc.query_scatter_sample(con, rows=500)
        second, _ = rc.query_scatter_sample(con, rows=500)
    assert len(first) == 500 < population
    pd.testing.assert_frame_equal(first, second)


@pytest.mark.real_data
def test_dashboard_tables_come_in_one_order(real_report: BuiltReport) -> None:
    """Every table the dashboard embeds is sorted on a unique key, so its spec (and the hash
    that decides whether its PNG is redrawn) cannot change between builds on the same data."""
    with duckdb.connect(str(real_report.db_path), read_only=True) as con:
        data = rc.query_dashboard(con)
    keys = {
        "cells": (data.cells, ["claim_status", "verified_status", "author_ban_status"]),
        "views_histogram": (
            data.views_histogram,
            ["measure", "bin_start", "claim_status", "author_ban_status"],
        ),
        "ratios": (data.ratios, ["claim_status", "author_ban_status", "ratio"]),
    }
    for name, (frame, key) in keys.items():
        assert len(frame) > 3, name
        assert not frame.duplicated(key).any(), f"{name}: {key} is not a unique key"
        ordered = frame.sort_values(key, kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), ordered, obj=name)


class RecordingConnection:
    """A DuckDB connection that remembers every statement run through it."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        self.statements: list[str] = []
        mode = connection.execute("select current_setting('access_mode')").fetchone()
        self.access_mode = mode[0] if mode else None

    def execute(self, sql: str, *args: Any) -> duckdb.DuckDBPyConnection:
        self.statements.append(sql)
        return self.connection.execute(sql, *args)


@pytest.mark.real_data
def test_reads_only_reporting_and_ml_read_only(
    real_report: BuiltReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement names only `reporting.*` / `ml.*` relations, on a read-only connection.

    DuckDB's own parser lists each statement's relations. The warehouse file is unchanged.
    """
    opened: list[RecordingConnection] = []
    real_reading = rc.reading

    @contextlib.contextmanager
    def recording(db_path: Path) -> Iterator[RecordingConnection]:
        with real_reading(db_path) as connection:
            opened.append(RecordingConnection(connection))
            yield opened[-1]

    monkeypatch.setattr(rc, "reading", recording)
    rc.RELATIONS_READ.clear()
    before = hashlib.sha256(real_report.db_path.read_bytes()).hexdigest()
    report.build_report(
        real_report.db_path, real_report.artifacts_dir, tmp_path / "reports", png=False
    )
    assert hashlib.sha256(real_report.db_path.read_bytes()).hexdigest() == before
    assert len(opened) == 1, "the report opens the warehouse once"
    assert opened[0].access_mode == "read_only"
    relations: set[str] = set()
    with duckdb.connect() as parser:
        for statement in opened[0].statements:
            # The parser cannot take placeholders: they stand for values, not relations.
            unparameterised = re.sub(r"\?|\$\w+", "null", statement)
            for name in parser.get_table_names(unparameterised, qualified=True):
                relations.add(name.split(" AS ")[0])
    schemas = {relation.split(".")[0] for relation in relations if "." in relation}
    assert relations and all("." in relation for relation in relations), relations
    assert schemas <= {"reporting", "ml", "information_schema"}, sorted(relations)
    assert "reporting" in schemas and "ml" in schemas, sorted(relations)
    # Every statement but the existence checks went through `report.data.read`, which recorded it.
    checked = {name for name in relations if not name.startswith("information_schema.")}
    assert checked <= set(rc.RELATIONS_READ), sorted(checked - set(rc.RELATIONS_READ))
    got = json.loads((tmp_path / "reports" / "summary.json").read_text())["facts"]
    assert got == real_report.summary()["facts"]


@pytest.mark.real_data
def test_report_before_training_leaves_the_model_out(real_warehouse: Path, tmp_path: Path) -> None:
    """Without `ml` tables the warehouse pages are built and the summary says what to run."""
    db_path = copy_warehouse(real_warehouse, tmp_path / "untrained" / real_warehouse.name)
    out_dir = tmp_path / "reports"
    (out_dir).mkdir()
    (out_dir / "model.html").write_text("stale")
    report.build_report(db_path, tmp_path / "no-artifacts", out_dir, png=False)
    summary = json.loads((out_dir / "summary.json").read_text())
    assert summary["pages"] == ["index.html", "distributions.html", "engagement.html"]
    assert set(summary["charts"]) == EXPECTED_CHARTS - MODEL_CHARTS
    assert not (out_dir / "model.html").exists(), "a stale model page was left behind"
    assert "python -m ml train" in (out_dir / "index.html").read_text()


# --------------------------------------------------------------------------------------------
# Interface and formatting (no data needed)
# --------------------------------------------------------------------------------------------


def test_missing_warehouse_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """No DuckDB file: exit status 2 and a message that says to run `dbt build`."""
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(MlError, match="dbt build"):
        report.build_report(missing, tmp_path, tmp_path / "out")
    assert report_main(["--db-path", str(missing), "--out-dir", str(tmp_path / "out")]) == 2
    assert "dbt build" in capsys.readouterr().err


@pytest.mark.real_data
def test_rebuild_reuses_unchanged_pngs(real_report: BuiltReport, tmp_path: Path) -> None:
    """A second build on the same data redraws no PNG; the bundle comes from the cache."""
    out_dir = tmp_path / "reports"
    shutil.copytree(real_report.out_dir, out_dir)
    before = {path.name: path.stat().st_mtime_ns for path in (out_dir / "charts").glob("*.png")}
    timings: dict[str, float] = {}
    report.build_report(real_report.db_path, real_report.artifacts_dir, out_dir, timings=timings)
    after = {path.name: path.stat().st_mtime_ns for path in (out_dir / "charts").glob("*.png")}
    assert after == before
    assert "png" not in timings, "no PNG had to be drawn"


@pytest.mark.real_data
def test_cli(real_report: BuiltReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m report` (its `main(argv)`) builds the report, with or without inlined JS."""
    monkeypatch.setenv("TIKTOK_CLAIMS_CACHE", str(tmp_path / "cache"))
    out_dir = tmp_path / "cli"
    arguments = [
        "--db-path",
        str(real_report.db_path),
        "--artifacts-dir",
        str(real_report.artifacts_dir),
        "--out-dir",
        str(out_dir),
        "--no-png",
    ]
    assert report_main(arguments) == 0
    assert (out_dir / "index.html").is_file()
    assert not (out_dir / "charts").exists()

    arguments[arguments.index("--out-dir") + 1] = str(tmp_path / "inline")
    assert report_main([*arguments, "--inline-js"]) == 0
    index = (tmp_path / "inline" / "index.html").read_text()
    assert "<script src=" not in index and "vegaEmbed" in index
    assert not (tmp_path / "inline" / "assets").exists()


@pytest.mark.real_data
def test_every_figure_names_the_relations_it_is_drawn_from(real_report: BuiltReport) -> None:
    """Each figure of every page declares its relations; each was read while the pages were
    built, and each is `reporting.*` or `ml.*`."""
    rc.RELATIONS_READ.clear()
    with rc.reading(real_report.db_path) as con:
        pages, _ = build_pages(con, real_report.artifacts_dir)
    read = set(rc.RELATIONS_READ)
    figures = all_figures(pages)
    assert {figure.key for figure in figures} == EXPECTED_CHARTS
    for figure in figures:
        assert figure.relations, f"{figure.key} names no relation"
        for relation in figure.relations:
            assert relation.split(".")[0] in report_pages.PUBLIC_SCHEMAS, (figure.key, relation)
            assert relation in read, f"{figure.key} names {relation}, which was not read"
        if figure.key in MODEL_CHARTS:
            assert all(relation.startswith("ml.") for relation in figure.relations), figure.key
    # Every other read (the summary's figures, the tables under the charts) is public too.
    for relation in read:
        assert relation.split(".")[0] in report_pages.PUBLIC_SCHEMAS, relation


def test_number_formats() -> None:
    """Readable numbers: thousands separators, percentages, p-values as powers of ten."""
    assert report.fmt_int(19382) == "19,382"
    assert report.fmt_num(9954.5) == "9,954.5"
    assert report.fmt_num(501555.0) == "501,555"
    assert report.fmt_pct(0.49655) == "49.7%"
    assert report.fmt_times(101.26) == "101"
    assert report.fmt_times(3.14) == "3.1"
    assert report.fmt_p(2.61e-120) == "2.6 \u00d7 10\u207b\u00b9\u00b2\u2070"
    assert report.fmt_p(0.0312) == "0.031"
    assert report.fmt_int(None) == "n/a"
    assert report.fmt_pct(float("nan")) == "n/a"


def test_binning_describes_its_width() -> None:
    """A bin width in words: in the measure's unit, or in powers of ten on a log scale."""
    assert rc.Binning(2.0, log=False).describe("video_duration_sec") == "2 seconds"
    assert rc.Binning(0.15, log=True).describe("video_view_count") == (
        "0.15 of a power of ten each, on a log scale"
    )


def test_outlier_rule_is_the_warehouse_rule() -> None:
    """The rule in words comes from the build's outlier_method and outlier_iqr_multiplier."""
    assert outlier_rule("median", 1.5) == "median + 1.5 \u00d7 IQR"
    assert outlier_rule("q3", 3.0) == "Q3 + 3 \u00d7 IQR"
    assert outlier_rule(None, None) == "the warehouse's outlier threshold"


def test_facts_render_their_raw_value() -> None:
    """A fact's span carries the raw value the tests compare; missing values say n/a."""
    facts = report.Facts()
    facts.add("videos", np.int64(19382))
    facts.add("share", float("nan"), report.fmt_pct)
    assert facts.html("videos") == (
        '<span class="fact" data-fact="videos" data-value="19382">19,382</span>'
    )
    assert 'data-value=""' in facts.html("share") and ">n/a<" in facts.html("share")
