"""`python -m ml report`: the stakeholder report, built from the marts and the `ml` tables.

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
- `assets/vega-*.js`: the Vega, Vega-Lite and vega-embed JavaScript, written once and shared
  by the pages as a classic script, so every page works from `file://` with no network.
  `--inline-js` puts it inside each page instead (one self-contained file per page). It
  depends on library versions only and is cached between builds (see `cache_dir`).

Charts are drawn as PNGs by child processes (vl-convert holds the GIL) while the pages are
written; `charts/.png-hashes.json` lets a rebuild on unchanged data skip them.

It reads only `marts.*` and `ml.*`, through one read-only connection, and every chart is fed
by aggregates DuckDB computes (see `ml.report_charts`), so the pages stay the same size
whatever the number of videos. Every figure of the summary is a `<span data-fact=...>` carrying
its raw value, which the tests compare with the marts.

Use: `python -m ml report [--db-path FILE] [--artifacts-dir DIR] [--out-dir DIR]`, or from
Python `build_report(db_path, artifacts_dir, out_dir)`; `add_cli(subparsers)` adds the
`report` command to another argparse CLI.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from string import Template
from typing import Any

import altair as alt
import duckdb
import pandas as pd
import vl_convert

from ml import charts
from ml import report_charts as rc
from ml.config import DEFAULT_ARTIFACTS_DIR, REPO_ROOT, default_db_path
from ml.db import reading, relation_exists, require_relation
from ml.errors import MlError

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Write the stakeholder report into --out-dir: index.html (the executive summary with live "
    "figures and the interactive overview dashboard), distributions.html, engagement.html and "
    "model.html, every chart also as a PNG under charts/. Reads only marts.* and ml.* through "
    "a read-only connection; the pages work offline from file://."
)

DEFAULT_OUT_DIR = REPO_ROOT / "reports"
TEMPLATES = Path(__file__).resolve().parent / "report_templates"
FONT = "Liberation Sans, Helvetica Neue, Arial, sans-serif"
PNG_SCALE = 1.0
PNG_WORKERS = 2
PAGE_SLUGS = ("index", "distributions", "engagement", "model")
TABLE_MAX_ROWS = 40
REQUIRED_MARTS = (rc.VIDEOS, rc.ENGAGEMENT, rc.OUTLIERS, "marts.claim_features")


# --------------------------------------------------------------------------------------------
# Figures quoted in the text
# --------------------------------------------------------------------------------------------


def fmt_int(value: float | None) -> str:
    """19382 -> '19,382'."""
    return "n/a" if value is None or _nan(value) else f"{round(value):,}"


def fmt_num(value: float | None) -> str:
    """A count-like figure with at most one decimal: 9954.5 -> '9,954.5', 501555.0 -> '501,555'."""
    if value is None or _nan(value):
        return "n/a"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """0.4965 -> '49.7%'."""
    return "n/a" if value is None or _nan(value) else f"{value * 100:.{digits}f}%"


def fmt_brier(value: float | None) -> str:
    """A Brier score: 0.0123456 -> '0.01235'."""
    return "n/a" if value is None or _nan(value) else f"{value:.5f}"


def fmt_times(value: float | None) -> str:
    """A ratio as 'N times': 101.26 -> '101', 3.14 -> '3.1'."""
    if value is None or _nan(value):
        return "n/a"
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def fmt_p(value: float | None) -> str:
    """A p-value in plain scientific notation: 2.6e-120 -> '2.6 x 10^-120' (as superscripts)."""
    if value is None or _nan(value):
        return "n/a"
    if value == 0:
        return "below 10" + _superscript(-307)
    if value >= 0.001:
        return f"{value:.3f}"
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    return f"{mantissa:.1f} {rc.TIMES} 10{_superscript(exponent)}"


def _superscript(number: int) -> str:
    return str(number).translate(
        str.maketrans(
            "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
        )
    )


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or _nan(numerator) or _nan(denominator):
        return None
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Fact:
    """One figure of the summary: its raw value and how the page writes it."""

    value: float | int | str | None
    text: str


@dataclass
class Facts:
    """The named figures of the summary, rendered as `<span data-fact>` elements."""

    items: dict[str, Fact] = field(default_factory=dict)

    def add(self, name: str, value: Any, formatter: Callable[[Any], str] = fmt_int) -> None:
        """Record `value` (None if missing) under `name`, written with `formatter`."""
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        self.items[name] = Fact(value=value, text=formatter(value))

    def __contains__(self, name: str) -> bool:
        return name in self.items

    def value(self, name: str) -> Any:
        """The raw value of a figure."""
        return self.items[name].value

    def html(self, name: str) -> str:
        """The figure as a span the tests can read back: raw value (JSON) in `data-value`."""
        fact = self.items[name]
        raw = "" if fact.value is None else json.dumps(fact.value, ensure_ascii=False)
        css = "fact long" if len(fact.text) > 40 else "fact"
        return (
            f'<span class="{css}" data-fact="{html.escape(name)}" '
            f'data-value="{html.escape(raw)}">{html.escape(fact.text)}</span>'
        )

    def as_json(self) -> dict[str, dict[str, Any]]:
        """Every figure as {name: {value, text}}."""
        return {name: {"value": f.value, "text": f.text} for name, f in self.items.items()}


def collect_data_facts(
    con: duckdb.DuckDBPyConnection, count_columns: Sequence[str], outliers: pd.DataFrame
) -> Facts:
    """The warehouse's figures for the summary, each from one aggregate over the marts."""
    facts = Facts()
    any_outlier = " or ".join(f'coalesce("{name}_is_outlier", false)' for name in count_columns)
    row = (
        con.execute(
            f"""
        select
            count(*) as videos_total,
            count_if(is_labeled) as videos_labeled,
            count_if(not is_labeled) as videos_unlabeled,
            count_if(has_complete_features) as videos_complete,
            count_if(not has_complete_features) as videos_incomplete,
            count_if(claim_status = 'claim') as claims,
            count_if(claim_status = 'opinion') as opinions,
            count_if(is_labeled and verified_status = 'verified') as verified_labeled,
            count_if(claim_status = 'opinion' and verified_status = 'verified')
                as verified_opinions,
            count_if(claim_status = 'claim' and author_ban_status <> 'active')
                as claims_not_active,
            count_if(claim_status = 'opinion' and author_ban_status <> 'active')
                as opinions_not_active,
            quantile_cont(video_view_count, 0.5) filter (where claim_status = 'claim')
                as median_views_claim,
            quantile_cont(video_view_count, 0.5) filter (where claim_status = 'opinion')
                as median_views_opinion,
            cast(sum(video_view_count) filter (where claim_status = 'claim') as double)
                / cast(sum(video_view_count) as double) as claim_share_of_views,
            quantile_cont(video_view_count, 0.5) filter (where author_ban_status = 'active')
                as median_views_active,
            quantile_cont(video_view_count, 0.5)
                filter (where author_ban_status = 'under review')
                as median_views_under_review,
            quantile_cont(video_view_count, 0.5) filter (where author_ban_status = 'banned')
                as median_views_banned,
            quantile_cont(video_share_count, 0.5) filter (where author_ban_status = 'active')
                as median_shares_active,
            quantile_cont(video_share_count, 0.5) filter (where author_ban_status = 'banned')
                as median_shares_banned,
            avg(likes_per_view) filter (where claim_status = 'claim')
                as mean_likes_per_view_claim,
            avg(likes_per_view) filter (where claim_status = 'opinion')
                as mean_likes_per_view_opinion,
            avg(shares_per_view) filter (where claim_status = 'claim')
                as mean_shares_per_view_claim,
            avg(shares_per_view) filter (where claim_status = 'opinion')
                as mean_shares_per_view_opinion,
            avg(comments_per_view) filter (where claim_status = 'claim')
                as mean_comments_per_view_claim,
            avg(comments_per_view) filter (where claim_status = 'opinion')
                as mean_comments_per_view_opinion,
            count_if({any_outlier}) as videos_any_outlier
        from {rc.VIDEOS}
        """
        )
        .df()
        .iloc[0]
    )
    values = {key: (None if pd.isna(value) else value) for key, value in row.items()}
    for name in (
        "videos_total",
        "videos_labeled",
        "videos_unlabeled",
        "videos_complete",
        "videos_incomplete",
        "claims",
        "opinions",
        "verified_labeled",
        "claims_not_active",
        "opinions_not_active",
        "videos_any_outlier",
    ):
        facts.add(name, values[name])
    training = con.execute("select count(*) from marts.claim_features").fetchone()
    facts.add("training_rows", training[0] if training else None)
    total, labeled = values["videos_total"], values["videos_labeled"]
    facts.add("labeled_share", _ratio(labeled, total), fmt_pct)
    facts.add("complete_share", _ratio(values["videos_complete"], total), fmt_pct)
    facts.add("claim_share", _ratio(values["claims"], labeled), fmt_pct)
    facts.add("opinion_share", _ratio(values["opinions"], labeled), fmt_pct)
    facts.add(
        "verified_opinion_share",
        _ratio(values["verified_opinions"], values["verified_labeled"]),
        fmt_pct,
    )
    facts.add(
        "claims_not_active_share", _ratio(values["claims_not_active"], values["claims"]), fmt_pct
    )
    facts.add(
        "opinions_not_active_share",
        _ratio(values["opinions_not_active"], values["opinions"]),
        fmt_pct,
    )
    facts.add("any_outlier_share", _ratio(values["videos_any_outlier"], total), fmt_pct)
    for name in (
        "median_views_claim",
        "median_views_opinion",
        "median_views_active",
        "median_views_under_review",
        "median_views_banned",
        "median_shares_active",
        "median_shares_banned",
    ):
        facts.add(name, values[name], fmt_num)
    facts.add("claim_share_of_views", values["claim_share_of_views"], fmt_pct)
    facts.add(
        "median_views_claim_to_opinion",
        _ratio(values["median_views_claim"], values["median_views_opinion"]),
        fmt_times,
    )
    facts.add(
        "median_views_banned_to_active",
        _ratio(values["median_views_banned"], values["median_views_active"]),
        fmt_times,
    )
    facts.add(
        "median_shares_banned_to_active",
        _ratio(values["median_shares_banned"], values["median_shares_active"]),
        fmt_times,
    )
    for rate in ("likes", "shares", "comments"):
        for status in ("claim", "opinion"):
            name = f"mean_{rate}_per_view_{status}"
            facts.add(name, values[name], lambda v: fmt_pct(v, 2))

    for record in outliers.itertuples():
        facts.add(f"outliers_{record.column_name}", record.outlier_count)
        facts.add(f"outlier_threshold_{record.column_name}", record.threshold, fmt_num)
    if len(outliers):
        low = outliers.loc[outliers["outlier_count"].idxmin()]
        high = outliers.loc[outliers["outlier_count"].idxmax()]
        facts.add("outliers_fewest_column", rc.measure_label(low["column_name"]).lower(), str)
        facts.add("outliers_most_column", rc.measure_label(high["column_name"]).lower(), str)
    facts.add("outlier_rule", rc.outlier_rule(outliers), str)
    return facts


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """A chart on a page: its key (file and element id), altair chart and text alternative."""

    key: str
    chart: alt.TopLevelMixin
    caption: str
    table: pd.DataFrame | None = None
    table_formats: dict[str, str] = field(default_factory=dict)
    wide: bool = False


@dataclass
class Section:
    """A heading, some HTML prose and the figures under it."""

    heading: str
    prose: str = ""
    figures: list[Figure] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Page:
    """One HTML file of the report."""

    slug: str
    nav_title: str
    title: str
    lead: str
    sections: list[Section]

    @property
    def file_name(self) -> str:
        """The page's file name inside the output folder."""
        return f"{self.slug}.html"


# The report's look, set once at the top level of every spec (Vega-Lite `config`).
CHART_CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "labelColor": "#333333",
        "titleColor": "#1d2433",
        "gridColor": "#e6e9ef",
        "domainColor": "#8a93a6",
        "tickColor": "#8a93a6",
    },
    "title": {
        "fontSize": 16,
        "subtitleFontSize": 13,
        "subtitleColor": "#596275",
        "anchor": "start",
        "offset": 10,
    },
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "header": {"labelFontSize": 13, "titleFontSize": 13},
}


def finished_spec(chart: alt.TopLevelMixin, description: str) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the report's look and its text alternative.

    The look is merged into the spec's dict rather than through altair's `configure_*`, each
    of which deep-copies the whole chart; the spec is not validated against the Vega-Lite
    schema here (slow), the tests do that for every spec of the report.
    """
    spec = chart.to_dict(validate=False)
    config = spec.setdefault("config", {})
    for key, value in CHART_CONFIG.items():
        if isinstance(value, dict):
            config[key] = {**config.get(key, {}), **value}
        else:
            config[key] = value
    spec["description"] = description
    return spec


def html_table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    """A small data table (the chart's data, for screen readers and exact values)."""
    formats = formats or {}
    frame = frame.head(TABLE_MAX_ROWS)
    header = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                text = ""
            elif column in formats:
                text = format(value, formats[column])
            elif isinstance(value, float):
                text = fmt_num(value)
            elif isinstance(value, int):
                text = f"{value:,}"
            else:
                text = str(value)
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def figure_html(figure: Figure, spec: dict[str, Any]) -> str:
    """A figure: the chart container, its caption, a PNG link, the data table and the spec."""
    spec_json = json.dumps(spec, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    table = ""
    if figure.table is not None and len(figure.table):
        table = (
            "<details><summary>Data behind this chart</summary>"
            f"{html_table(figure.table, figure.table_formats)}</details>"
        )
    css = "chart wide" if figure.wide else "chart"
    return (
        f'<figure class="{css}" id="figure-{figure.key}">'
        f'<div class="vega" data-chart="{figure.key}"></div>'
        f"<figcaption>{figure.caption} "
        f'<a href="charts/{figure.key}.png">PNG</a></figcaption>{table}'
        f'<script type="application/json" id="spec-{figure.key}">{spec_json}</script>'
        "</figure>"
    )


def _clean_table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The listed columns, renamed for people."""
    return frame[list(columns)].rename(columns=columns)


def warehouse_pages(con: duckdb.DuckDBPyConnection, facts: Facts) -> dict[str, Page]:
    """The distribution and engagement pages and the dashboard figure (warehouse only)."""
    names = rc.measures(con)
    count_columns = names[1:]
    stats = rc.query_distribution_stats(con, names)
    widths = rc.binnings(stats)
    histograms = rc.query_histograms(con, widths)
    outliers = rc.query_outliers(con, count_columns)
    rule = rc.outlier_rule(outliers)

    distribution_figures = []
    for measure in names:
        label = rc.measure_label(measure)
        table = stats[stats["measure"] == measure]
        distribution_figures.append(
            Figure(
                key=f"distribution_{measure}",
                chart=rc.box_hist_chart(measure, stats, histograms, widths[measure]),
                caption=(
                    f"{label}: box plots for all videos and per claim status (quartiles "
                    "computed exactly in DuckDB), above a histogram coloured by claim status "
                    f"(bins of {widths[measure].describe(measure)})."
                ),
                table=_clean_table(
                    table,
                    {
                        "group_name": "group",
                        "video_count": "videos",
                        "min_value": "min",
                        "q1": "Q1",
                        "median": "median",
                        "q3": "Q3",
                        "max_value": "max",
                        "above_whisker": "beyond upper whisker",
                    },
                ),
            )
        )
    outlier_figure = Figure(
        key="outliers",
        chart=rc.outlier_chart(outliers, rule),
        caption=(
            f"Videos whose count is above {rule}, per count column, from "
            "<code>marts.outlier_summary</code>."
        ),
        table=_clean_table(
            outliers,
            {
                "label": "count",
                "median": "median",
                "q1": "Q1",
                "q3": "Q3",
                "iqr": "IQR",
                "threshold": "threshold",
                "outlier_count": "outliers",
            },
        ),
    )
    distributions = Page(
        slug="distributions",
        nav_title="Distributions",
        title="How duration and engagement are distributed",
        lead=(
            "<p class='lead'>Every video's duration is between 5 and 60 seconds and spread evenly; "
            "the engagement counts are heavily right-skewed, with claims far above opinions.</p>"
        ),
        sections=[
            Section(
                "Box plots and histograms",
                "<p class='prose'>One figure per measure. Hover for exact quartiles and counts; "
                "open <em>Data behind this chart</em> for the numbers as a table.</p>",
                distribution_figures,
            ),
            Section(
                "Outliers",
                f"<p class='prose'>A count is an outlier when it is above {html.escape(rule)} of "
                f"its column. {facts.html('videos_any_outlier')} videos "
                f"({facts.html('any_outlier_share')}) are outliers in at least one count. "
                "They are kept: extreme engagement is how viral videos look, not a recording "
                "error.</p>",
                [outlier_figure],
            ),
        ],
    )

    verified = rc.query_status_counts(con, "verified_status")
    banned = rc.query_status_counts(con, "author_ban_status")
    medians_ban = rc.query_median_views(con, "author_ban_status")
    medians_claim = rc.query_median_views(con, "claim_status")
    shares = rc.query_view_share(con)
    ratios = rc.query_engagement_ratios(con)
    sample, population = rc.query_scatter_sample(con)
    opinions, opinion_population = rc.query_scatter_sample(con, opinions_only=True)
    count_formats = {"videos": ",d"}
    engagement = Page(
        slug="engagement",
        nav_title="Engagement",
        title="Who posts claims, and how they are watched",
        lead=(
            f"<p class='lead'>Claims get {facts.html('median_views_claim_to_opinion')} times "
            "the median views of opinions, and their authors are more often banned or under "
            "review.</p>"
        ),
        sections=[
            Section(
                "Claim status by account",
                "",
                [
                    Figure(
                        "claims_by_verified",
                        rc.status_counts_chart(verified, "verified_status"),
                        "Videos per claim status and verified status. Verified accounts post "
                        f"mostly opinions ({facts.html('verified_opinion_share')} of their "
                        "labeled videos).",
                        _clean_table(
                            verified,
                            {
                                "claim_status": "claim status",
                                "verified_status": "verified status",
                                "video_count": "videos",
                            },
                        ),
                        count_formats,
                    ),
                    Figure(
                        "claims_by_ban_status",
                        rc.status_counts_chart(banned, "author_ban_status"),
                        f"Videos per claim status and author ban status: "
                        f"{facts.html('claims_not_active_share')} of claims but "
                        f"{facts.html('opinions_not_active_share')} of opinions come from "
                        "banned or under-review authors.",
                        _clean_table(
                            banned,
                            {
                                "claim_status": "claim status",
                                "author_ban_status": "author ban status",
                                "video_count": "videos",
                            },
                        ),
                        count_formats,
                    ),
                ],
            ),
            Section(
                "Views",
                "",
                [
                    Figure(
                        "median_views_by_ban_status",
                        rc.median_views_chart(medians_ban, "author_ban_status"),
                        "Median views per author ban status (exact medians, videos with a view "
                        "count).",
                        _clean_table(
                            medians_ban,
                            {
                                "author_ban_status": "author ban status",
                                "video_count": "videos",
                                "median_views": "median views",
                                "mean_views": "mean views",
                            },
                        ),
                    ),
                    Figure(
                        "median_views_by_claim_status",
                        rc.median_views_chart(medians_claim, "claim_status"),
                        "Median views per claim status.",
                        _clean_table(
                            medians_claim,
                            {
                                "claim_status": "claim status",
                                "video_count": "videos",
                                "median_views": "median views",
                                "mean_views": "mean views",
                            },
                        ),
                    ),
                    Figure(
                        "view_share_by_claim_status",
                        rc.view_share_chart(shares),
                        f"Each claim status's share of all views: claims draw "
                        f"{facts.html('claim_share_of_views')} though they are "
                        f"{facts.html('claim_share')} of labeled videos.",
                        _clean_table(
                            shares,
                            {
                                "claim_status": "claim status",
                                "video_count": "videos",
                                "total_views": "total views",
                                "share_of_views": "share of views",
                            },
                        ),
                        {"share of views": ".2%", "total views": ",.0f"},
                    ),
                ],
            ),
            Section(
                "Engagement per view",
                "<p class='prose'>Once a video is watched, engagement depends more on its claim "
                "status than on its author's ban status.</p>",
                [
                    Figure(
                        "engagement_ratios",
                        rc.engagement_ratio_chart(ratios),
                        "Mean likes, comments and shares per view by claim status and author ban "
                        "status, from <code>marts.engagement_by_status</code>.",
                        _clean_table(
                            ratios,
                            {
                                "claim_status": "claim status",
                                "author_ban_status": "author ban status",
                                "ratio_label": "rate",
                                "mean_value": "mean",
                                "median_value": "median",
                            },
                        ),
                        {"mean": ".4%", "median": ".4%"},
                        wide=True,
                    )
                ],
            ),
            Section(
                "Views and likes",
                "<p class='prose'>Likes rise with views in both classes; opinions stay below "
                "10,000 views. Points are a deterministic sample (the videos with the smallest "
                "hash of their id), so the page stays small at any data size.</p>",
                [
                    Figure(
                        "views_vs_likes",
                        rc.scatter_chart(sample, population, opinions_only=False),
                        f"Views against likes for {len(sample):,} of {population:,} labeled "
                        "videos, coloured by claim status.",
                    ),
                    Figure(
                        "views_vs_likes_opinions",
                        rc.scatter_chart(opinions, opinion_population, opinions_only=True),
                        f"Views against likes for {len(opinions):,} of "
                        f"{opinion_population:,} opinion videos.",
                    ),
                ],
            ),
        ],
    )
    dashboard = Figure(
        key="overview_dashboard",
        chart=rc.dashboard_chart(rc.query_dashboard(con, widths["video_view_count"])),
        caption=(
            "Click a bar in <em>Claim status</em> or <em>Author ban status</em> to filter the "
            "other panels (shift-click to add, double-click an empty spot to clear). Hover for "
            "exact values. Every panel re-adds small pre-aggregated tables, so the figures stay "
            "exact."
        ),
        wide=True,
    )
    return {"distributions": distributions, "engagement": engagement, "dashboard": dashboard}


# --------------------------------------------------------------------------------------------
# The executive summary
# --------------------------------------------------------------------------------------------


def p_clause(facts: Facts) -> str:
    """'p = 2.6 x 10^-120', or 'p below 10^-307' when the p-value underflows to 0."""
    value = facts.value("t_test_p_value")
    return (
        f"p {facts.html('t_test_p_value')}" if value == 0 else f"p = {facts.html('t_test_p_value')}"
    )


def _tile(value_html: str, label: str, css: str = "") -> str:
    return (
        f'<div class="tile {css}"><div class="value">{value_html}</div>'
        f'<div class="label">{label}</div></div>'
    )


def summary_page(facts: Facts, dashboard: Figure, model: ModelSection | None) -> Page:
    """The executive summary: tiles, findings in words, the dashboard, model and ethics."""
    f = facts.html
    tiles = [
        _tile(f("videos_total"), "reported videos in the warehouse"),
        _tile(f("labeled_share"), "carry a claim/opinion label"),
        _tile(f("claim_share"), "of labeled videos are claims", "claim"),
        _tile(
            f("median_views_claim_to_opinion") + "&times;",
            "median views, claims vs opinions",
            "claim",
        ),
        _tile(f("claim_share_of_views"), "of all views go to claims", "claim"),
    ]
    if model is not None:
        tiles += model.tiles(facts)
    data = f"""
<ul class="prose">
<li><strong>Dataset.</strong> The warehouse holds {f("videos_total")} reported videos.
{f("videos_labeled")} ({f("labeled_share")}) are labeled claim or opinion;
{f("videos_unlabeled")} have no label. {f("videos_complete")} ({f("complete_share")}) have a
transcript and all five engagement counts; {f("videos_incomplete")} lack some of them. They stay
in the warehouse, counted, and in the review queue, where a person looks at them.
The classifier trains on the {f("training_rows")} labeled, complete videos.</li>
<li><strong>Class balance.</strong> {f("claims")} claims ({f("claim_share")}) and
{f("opinions")} opinions ({f("opinion_share")}): the classes are balanced, so accuracy is not
flattered by a majority class.</li>
<li><strong>Engagement.</strong> Claims are watched far more: a median of
{f("median_views_claim")} views against {f("median_views_opinion")} for opinions
({f("median_views_claim_to_opinion")} times), and they draw {f("claim_share_of_views")} of all
views. Per view, too, claims get more likes ({f("mean_likes_per_view_claim")} against
{f("mean_likes_per_view_opinion")} on average), shares ({f("mean_shares_per_view_claim")} against
{f("mean_shares_per_view_opinion")}) and comments ({f("mean_comments_per_view_claim")} against
{f("mean_comments_per_view_opinion")}).</li>
<li><strong>Authors.</strong> Median views are {f("median_views_active")} for active authors,
{f("median_views_under_review")} for authors under review and {f("median_views_banned")} for banned
authors ({f("median_views_banned_to_active")} times active); banned authors' median share count
is {f("median_shares_banned_to_active")} times active authors'. {f("claims_not_active_share")} of
claims but only {f("opinions_not_active_share")} of opinions come from banned or under-review
authors. This says nothing about which video caused a ban. Verified accounts post mostly
opinions ({f("verified_opinion_share")} of their labeled videos).</li>
<li><strong>Outliers.</strong> With the rule {f("outlier_rule")}, between
{f("outliers_video_view_count")} ({f("outliers_fewest_column")}) and
{f("outliers_video_comment_count")} ({f("outliers_most_column")}) videos per count are outliers;
{f("videos_any_outlier")} ({f("any_outlier_share")}) are outliers in at least one count. They are
viral videos, not errors, and are kept.</li>
</ul>"""
    sections = [Section("What the data says", data, anchor="findings")]
    sections.append(
        Section(
            "Overview dashboard",
            "<p class='prose'>Choose a claim status or an author ban status to see how the "
            "other figures change.</p>",
            [dashboard],
            anchor="dashboard",
        )
    )
    if model is not None:
        sections += model.summary_sections(facts)
    else:
        sections.append(
            Section(
                "The classifier and the statistics",
                "<p class='note'>The <code>ml</code> tables are not in this warehouse yet: run "
                "<code>python -m ml train</code>, <code>score</code> and <code>stats</code>, then "
                "this report again.</p>",
            )
        )
    sections.append(Section("Limits and ethical use", _ethics(facts, model), anchor="ethics"))
    sections.append(
        Section(
            "More",
            "<ul class='prose'>"
            "<li><a href='distributions.html'>Distributions and outliers</a>: box plots and "
            "histograms of duration and every count.</li>"
            "<li><a href='engagement.html'>Engagement</a>: claim status by account, median "
            "views, share of views, per-view rates, views against likes.</li>"
            + (
                "<li><a href='model.html'>Model and statistics</a>: confusion matrix, "
                "precision-recall, feature importances, calibration, the review queue, the "
                "hypothesis test and the regression.</li>"
                if model is not None
                else ""
            )
            + "<li>The warehouse's documentation: the dbt docs site "
            "(<code>target/static_index.html</code> after <code>dbt docs generate "
            "--static</code>).</li></ul>",
        )
    )
    return Page(
        slug="index",
        nav_title="Summary",
        title="Reported TikTok videos: claims, opinions and the review queue",
        lead=(
            "<p class='lead'>An executive summary for leaders and moderators. Every figure on "
            "these pages is computed from the warehouse when the report is built.</p>"
            f"<div class='tiles'>{''.join(tiles)}</div>"
        ),
        sections=sections,
    )


def _ethics(facts: Facts, model: ModelSection | None) -> str:
    """Limits and intended use, in words."""
    model_items = model.limit_items(facts) if model is not None else ""
    return f"""
<ul class="prose">
<li><strong>A triage aid, not a verdict.</strong> The model orders the queue; moderators decide.
A video the model scores low is still a report a person should see eventually, and videos with
missing features get their own place in the queue rather than a guess.</li>
<li><strong>Claim is not falsehood.</strong> "Claim" means unsourced or unverified information;
the label says nothing about whether a video is true, harmful or allowed.</li>
<li><strong>Engagement is a shortcut.</strong> In this data, views alone separate the classes
(no opinion has more than 10,000 views). Such a clean split is rare in real traffic; a model
leaning on it would fail on new, little-watched claims. Watch the at-upload model, which sees no
counts.</li>
<li><strong>Author status is sensitive.</strong> Ban and verification status describe the
account, not the video. Using them can penalise authors for past decisions; check error rates
per ban and verification group before any use that affects people.</li>
{model_items}
<li><strong>The data is a teaching dataset.</strong> Its figures describe this export only;
re-check every number on real, current reports before acting on them.</li>
</ul>"""


# --------------------------------------------------------------------------------------------
# The classifier and the statistics
# --------------------------------------------------------------------------------------------

METRIC_COLUMNS = {
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "accuracy": "accuracy",
    "pr_auc": "PR-AUC",
    "brier": "Brier",
}


@dataclass
class ModelSection:
    """What the report shows of the `ml` tables: figures, tables and the model's facts."""

    figures: dict[str, Figure]
    models: pd.DataFrame
    regression_metrics: pd.DataFrame | None
    has_statistics: bool
    has_importances: bool
    drift: pd.DataFrame | None = None

    def tiles(self, facts: Facts) -> list[str]:
        """Headline tiles for the summary."""
        tiles = [
            _tile(facts.html("test_recall"), "of test claims caught by the model", "good"),
            _tile(facts.html("test_precision"), "of its flagged test videos are claims", "good"),
        ]
        if self.has_statistics:
            tiles.append(_tile(facts.html("t_test_p_value"), "p-value, views by verified status"))
        return tiles

    def summary_sections(self, facts: Facts) -> list[Section]:
        """The summary's sections on the classifier, the backlog and the hypothesis test."""
        f = facts.html
        model = f"""
<ul class="prose">
<li><strong>Performance.</strong> The champion, {f("model_title")}, was chosen on the validation
split ({f("selection_rule")}). On the {f("test_videos")} held-out test videos, scored once, it
found {f("test_true_positive")} of {f("test_claims")} claims (recall {f("test_recall")}) and
flagged {f("test_false_positive")} opinions as claims (precision {f("test_precision")});
it missed {f("test_false_negative")} claims. These figures are recomputed from
<code>ml.claim_predictions</code> joined to the labels. The original analysis's model, a random
forest, missed {f("baseline_test_false_negative")} test claims here (recall
{f("baseline_test_recall")}).</li>
<li><strong>The backlog.</strong> Reviewing the test queue in the model's order, moderators who
look at the first {f("top_n")} videos (as many as there are claims) find
{f("top_n_caught")} claims ({f("top_n_caught_share")} of them); in random order they would
expect about {f("top_n_random_caught")}. The queue ranks all {f("queue_videos")} videos:
{f("queue_flagged")} flagged as likely claims come first; {f("queue_unscored")} that lack a
feature the model needs get no score and come next, for a person to judge. Of the
{f("backlog_unlabeled")} unlabeled videos, {f("backlog_unlabeled_flagged")} are flagged and
{f("backlog_unlabeled_unscored")} cannot be scored.</li>
</ul>"""
        sections = [
            Section(
                "The classifier and the backlog",
                model,
                [self.figures["review_queue_capture"]],
                anchor="model",
            )
        ]
        if self.has_statistics:
            verdict = (
                "the difference in mean views is statistically significant; "
                f"{f('t_test_higher_group')} accounts' videos get more views on average."
                if facts.value("t_test_decision") == "rejected"
                else "the data show no significant difference in mean views."
            )
            sections.append(
                Section(
                    "The hypothesis test",
                    f"""
<p class="prose">Do videos of verified and unverified accounts get different mean views?
Welch's two-sample t-test (H0: the means are equal; alpha {f("t_test_alpha")}):
verified accounts' videos average {f("t_test_mean_verified")} views, unverified
{f("t_test_mean_not_verified")}; t = {f("t_test_statistic")} with
{f("t_test_degrees_of_freedom")} degrees of freedom, {p_clause(facts)}.
The null hypothesis is {f("t_test_decision")}: {verdict}
A difference in means is not a cause: unverified accounts post most claims, and claims draw
the views.</p>""",
                    anchor="hypothesis-test",
                )
            )
        return sections

    def limit_items(self, facts: Facts) -> str:
        """Model-specific limits for the ethics list."""
        return (
            "<li><strong>Near-perfect scores describe this dataset.</strong> "
            f"Test recall {facts.html('test_recall')} and precision "
            f"{facts.html('test_precision')} come from a teaching dataset whose classes are "
            "separated by their wording and their views. Expect lower figures on real reports; "
            "measure them on a fresh labeled sample before relying on the order, and keep "
            "checking for drift.</li>"
        )

    def drift_section(self, facts: Facts) -> Section:
        """The drift table of the last scoring run."""
        f = facts.html
        table = html_table(
            self.drift if self.drift is not None else pd.DataFrame(),
            {"PSI": ".4f", "threshold": ".2f"},
        )
        return Section(
            "Drift in the last scoring run",
            "<p class='prose'>The population stability index (PSI) of each feature, of the "
            "transcript opening's novelty and of the score, between the training rows and the "
            f"{f('drift_videos')} videos the last scoring run scored ({f('drift_run_mode')} run "
            f"of {f('drift_scored_at')}; an incremental run scores only the videos new or "
            "changed since the run before, so this describes the newest exports, not the "
            f"whole warehouse). {f('drift_drifted')} of {f('drift_features')} columns exceed "
            "the threshold, above which <code>score</code> warns that the scores are less "
            "reliable. From <code>ml.score_drift</code>.</p>" + table,
            anchor="drift",
        )

    def page(self, facts: Facts) -> Page:
        """The model and statistics page."""
        f = facts.html
        order = ["confusion_matrix", "precision_recall", "calibration", "feature_importance"]
        performance = [self.figures[key] for key in order if key in self.figures]
        run_id = html.escape(str(facts.value("model_run_id")))
        model_table = html_table(self.models)
        sections = [
            Section(
                "The champion on the held-out test split",
                f"<p class='prose'>{f('model_title')} (run <code>{run_id}</code>): "
                f"recall {f('test_recall')}, precision {f('test_precision')}, accuracy "
                f"{f('test_accuracy')} on {f('test_videos')} test videos. Curves and matrix are "
                "aggregated in DuckDB from <code>ml.claim_predictions</code>.</p>",
                performance,
            ),
            Section(
                "Every candidate",
                "<p class='prose'>Test-split metrics of each candidate of the run, as "
                "recorded in <code>ml.model_runs</code>. The champion is chosen on validation, "
                "never on test.</p>" + model_table,
            ),
        ]
        if self.drift is not None:
            sections.append(self.drift_section(facts))
        if self.has_statistics:
            regression = (
                html_table(
                    self.regression_metrics,
                    {"precision": ".4f", "recall": ".4f", "F1": ".4f", "accuracy": ".4f"},
                )
                if self.regression_metrics is not None
                else ""
            )
            sections.append(
                Section(
                    "Statistics",
                    f"<p class='prose'>Welch's t-test of mean views by verified status: t = "
                    f"{f('t_test_statistic')}, {p_clause(facts)}. Mean views, with each "
                    "group's own 95% confidence interval: verified "
                    f"{f('t_test_mean_verified')} ({f('ci_low_verified')} to "
                    f"{f('ci_high_verified')}), unverified {f('t_test_mean_not_verified')} "
                    f"({f('ci_low_not_verified')} to {f('ci_high_not_verified')}). The regression "
                    "relates a verified account to the video's duration, claim status, author "
                    "ban status and views; its held-out results follow the chart.</p>",
                    [
                        self.figures[key]
                        for key in ("views_by_verified_means", "verified_regression")
                    ],
                )
            )
            sections.append(Section("Regression on held-out videos", regression))
        return Page(
            slug="model",
            nav_title="Model & statistics",
            title="The claims classifier and the statistics",
            lead=(
                "<p class='lead'>How well the model separates claims from opinions, what its "
                "review queue catches, and the original analysis's two statistical steps.</p>"
            ),
            sections=sections,
        )


def _latest_run(con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    """(model_run_id, model_name) of the scores in `ml.claim_predictions`."""
    rows = con.execute(
        f"select model_run_id, model_name, count(*) from {rc.PREDICTIONS} group by 1, 2 "
        "order by 3 desc"
    ).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def _read_metrics_file(artifacts_dir: Path, run_id: str) -> dict[str, Any] | None:
    """`metrics.json` if it belongs to the scored run, else None."""
    path = artifacts_dir / "metrics.json"
    if not path.is_file():
        return None
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return content if content.get("run_id") == run_id else None


def collect_model(
    con: duckdb.DuckDBPyConnection, artifacts_dir: Path, facts: Facts
) -> ModelSection | None:
    """Facts and figures of the `ml` tables, or None where training or scoring has not run."""
    if not (relation_exists(con, rc.PREDICTIONS) and relation_exists(con, rc.MODEL_RUNS)):
        return None
    run = _latest_run(con)
    if run is None:
        return None
    run_id, champion = run
    runs = query_frame(
        con,
        f"select model_name, is_champion, cast(metrics as varchar) as metrics "
        f"from {rc.MODEL_RUNS} where run_id = ? order by model_name",
        [run_id],
    )
    metrics_file = _read_metrics_file(artifacts_dir, run_id)
    titles = {
        name: details.get("title", name)
        for name, details in (metrics_file or {}).get("models", {}).items()
    }
    facts.add("model_run_id", run_id, str)
    facts.add("model_name", champion, str)
    facts.add("model_title", titles.get(champion, champion), str)
    selection = (metrics_file or {}).get("selection", {})
    facts.add(
        "selection_rule",
        "highest validation recall with validation precision of at least "
        f"{selection.get('precision_floor', 'the floor')}",
        str,
    )

    model_rows = []
    for record in runs.itertuples():
        test = json.loads(record.metrics).get("test", {})
        row = {"model": titles.get(record.model_name, record.model_name)}
        row["role"] = "champion" if record.is_champion else ""
        for key, label in METRIC_COLUMNS.items():
            value = test.get(key)
            row[label] = "" if value is None else f"{value:.4f}"
        matrix = test.get("confusion_matrix", {})
        row["missed claims"] = matrix.get("false_negative")
        row["false claims"] = matrix.get("false_positive")
        model_rows.append(row)
        if record.model_name == "rf_baseline":
            facts.add("baseline_test_recall", test.get("recall"), lambda v: fmt_pct(v, 2))
            facts.add("baseline_test_false_negative", matrix.get("false_negative"))
    models = pd.DataFrame(model_rows)

    cells = rc.query_confusion_cells(con)
    test = cells[cells["split"] == "test"].set_index(["actual", "predicted"])["videos"]
    tp, fp = int(test[("claim", "claim")]), int(test[("opinion", "claim")])
    fn, tn = int(test[("claim", "opinion")]), int(test[("opinion", "opinion")])
    facts.add("test_videos", tp + fp + fn + tn)
    facts.add("test_claims", tp + fn)
    facts.add("test_true_positive", tp)
    facts.add("test_false_positive", fp)
    facts.add("test_false_negative", fn)
    facts.add("test_true_negative", tn)
    facts.add("test_recall", _ratio(tp, tp + fn), lambda v: fmt_pct(v, 2))
    facts.add("test_precision", _ratio(tp, tp + fp), lambda v: fmt_pct(v, 2))
    facts.add("test_accuracy", _ratio(tp + tn, tp + fp + fn + tn), lambda v: fmt_pct(v, 2))

    queue = con.execute(
        f"""
        select
            count(*),
            count_if(predicted_is_claim),
            count_if(claim_probability is null),
            count_if(split = 'unlabeled'),
            count_if(split = 'unlabeled' and predicted_is_claim),
            count_if(split = 'unlabeled' and claim_probability is null)
        from {rc.PREDICTIONS}
        """
    ).fetchone() or (0, 0, 0, 0, 0, 0)
    for name, value in zip(
        (
            "queue_videos",
            "queue_flagged",
            "queue_unscored",
            "backlog_unlabeled",
            "backlog_unlabeled_flagged",
            "backlog_unlabeled_unscored",
        ),
        queue,
        strict=True,
    ):
        facts.add(name, value)

    capture = rc.query_capture_curve(con, "test")
    top_n = tp + fn
    caught = con.execute(
        f"""
        with labeled as ({rc.labeled_predictions_sql("test")}),
        ranked as (
            select is_claim, row_number() over (order by review_priority) as position
            from labeled
        )
        select count_if(is_claim and position <= ?) from ranked
        """,
        [top_n],
    ).fetchone()
    facts.add("top_n", top_n)
    facts.add("top_n_caught", caught[0] if caught else None)
    facts.add("top_n_caught_share", _ratio(facts.value("top_n_caught"), top_n), fmt_pct)
    videos = tp + fp + fn + tn
    facts.add("top_n_random_caught", top_n * top_n / videos if videos else None, fmt_int)

    at_tenth = capture[capture["percent_reviewed"] == 10].set_index("ordering")
    for key, ordering in (
        ("harm", "expected harm (the queue)"),
        ("probability", "probability only"),
    ):
        value = at_tenth["caught_views_share"].get(ordering) if len(at_tenth) else None
        facts.add(f"tenth_views_share_{key}", value, fmt_pct)
    figures: dict[str, Figure] = {}
    wide = capture[capture["percent_reviewed"] % 10 == 0].pivot(
        index="percent_reviewed", columns="ordering", values=["caught_share", "caught_views_share"]
    )
    capture_table = pd.DataFrame(
        {
            "% reviewed": wide.index,
            "claims found, queue": wide[("caught_share", "expected harm (the queue)")],
            "claims found, probability": wide[("caught_share", "probability only")],
            "views found, queue": wide[("caught_views_share", "expected harm (the queue)")],
            "views found, probability": wide[("caught_views_share", "probability only")],
        }
    ).reset_index(drop=True)
    figures["review_queue_capture"] = Figure(
        "review_queue_capture",
        rc.capture_chart(capture, top_n, videos),
        "Share of the test split's claims (solid) and of their views (dashed) found after "
        "reviewing each share of its videos: in the queue's order, which weighs the "
        "probability of a claim by its reach (expected harm, blue), and by probability alone "
        "(orange). After a tenth of the test videos the queue has found "
        f"{facts.html('tenth_views_share_harm')} of the claims' views, the probability order "
        f"{facts.html('tenth_views_share_probability')}. Computed in DuckDB from "
        "<code>ml.claim_predictions</code> and <code>marts.videos</code>.",
        capture_table,
        {column: ".2%" for column in capture_table.columns if column != "% reviewed"},
    )
    figures["confusion_matrix"] = Figure(
        "confusion_matrix",
        charts.confusion_matrix_chart(cells, f"Confusion matrix: {titles.get(champion, champion)}"),
        "Actual against predicted class of the champion on the validation and test splits "
        "(threshold 0.5).",
        cells.rename(columns={"videos": "videos"}),
        {"videos": ",d"},
    )
    curve = rc.query_precision_recall(con, "test").assign(model=titles.get(champion, champion))
    figures["precision_recall"] = Figure(
        "precision_recall",
        charts.precision_recall_chart(curve).properties(
            title="Precision-recall curve: the champion on the test split"
        ),
        "Precision against recall as the probability threshold moves, thresholds in steps of "
        f"{rc.THRESHOLD_STEP:g}.",
    )
    calibration = rc.query_calibration(con, "test").assign(model=titles.get(champion, champion))
    brier = con.execute(
        f"""
        with labeled as ({rc.labeled_predictions_sql("test")})
        select avg(power(claim_probability - cast(is_claim as double), 2)) from labeled
        """
    ).fetchone()
    facts.add("test_brier", brier[0] if brier else None, fmt_brier)
    figures["calibration"] = Figure(
        "calibration",
        charts.calibration_chart(calibration).properties(
            title="Reliability diagram: the champion on the test split"
        ),
        "Observed share of claims per tenth of predicted probability; the dashed diagonal is "
        "perfect calibration. Brier score (mean squared difference between probability and "
        f"label; 0 is perfect, 0.25 a constant 0.5) on the test split: {facts.html('test_brier')}.",
        calibration[["mean_predicted", "observed_share", "videos"]],
        {"mean_predicted": ".4f", "observed_share": ".4f", "videos": ",d"},
    )
    importances = [
        {**item, "model": titles.get(name, name)}
        for name, details in (metrics_file or {}).get("models", {}).items()
        for item in details.get("permutation_importance", [])
    ]
    if importances:
        figures["feature_importance"] = Figure(
            "feature_importance",
            charts.importance_chart(pd.DataFrame(importances)),
            "Permutation importance of each input column on the validation split: how much "
            "PR-AUC drops when the column is shuffled (from <code>metrics.json</code>).",
            wide=True,
        )

    has_statistics = relation_exists(con, rc.HYPOTHESIS_TESTS)
    regression_metrics = None
    if has_statistics:
        test_row = query_frame(
            con, f"select * from {rc.HYPOTHESIS_TESTS} where test = 'welch_t_test' limit 1"
        )
        has_statistics = len(test_row) == 1
    if has_statistics:
        row = test_row.iloc[0]
        means = {row["group_a"]: row["mean_a"], row["group_b"]: row["mean_b"]}
        facts.add("t_test_alpha", row["alpha"], lambda v: f"{v:g}")
        facts.add("t_test_mean_verified", means.get("verified"), fmt_num)
        facts.add("t_test_mean_not_verified", means.get("not verified"), fmt_num)
        facts.add("t_test_statistic", row["t_statistic"], lambda v: f"{v:.2f}")
        facts.add("t_test_degrees_of_freedom", row["degrees_of_freedom"], lambda v: f"{v:,.1f}")
        facts.add("t_test_p_value", row["p_value"], fmt_p)
        facts.add("t_test_decision", "rejected" if row["reject_null"] else "kept", str)
        verified, unverified = means.get("verified"), means.get("not verified")
        higher = "verified" if (verified or 0) > (unverified or 0) else "unverified"
        facts.add("t_test_higher_group", higher, str)
        group_means = rc.query_group_means(con)
        for record in group_means.itertuples():
            key = record.verified_status.replace(" ", "_")
            facts.add(f"ci_low_{key}", record.ci_low, fmt_num)
            facts.add(f"ci_high_{key}", record.ci_high, fmt_num)
        subtitle = (
            f"Welch's t = {row['t_statistic']:.2f}, df = {row['degrees_of_freedom']:,.0f}, "
            + ("p " if row["p_value"] == 0 else "p = ")
            + fmt_p(row["p_value"])
        )
        figures["views_by_verified_means"] = Figure(
            "views_by_verified_means",
            rc.group_means_chart(group_means, subtitle),
            "Mean views of each verified status, with the 95% confidence interval of each mean "
            "(t distribution).",
            group_means[["verified_status", "videos", "mean_views", "ci_low", "ci_high"]],
            {"mean_views": ",.1f", "ci_low": ",.1f", "ci_high": ",.1f", "videos": ",d"},
        )
        if relation_exists(con, rc.REGRESSION_COEFFICIENTS) and relation_exists(
            con, rc.REGRESSION_METRICS
        ):
            coefficients, regression_metrics = rc.query_regression(con)
            figures["verified_regression"] = Figure(
                "verified_regression",
                rc.odds_ratio_chart(coefficients),
                "Odds ratios of the logistic regression of a verified account (above 1: more "
                "likely verified), from <code>ml.verified_regression_coefficients</code>.",
                coefficients,
                {"coefficient": ".4f", "odds_ratio": ".4f"},
            )
            regression_metrics = regression_metrics.rename(
                columns={"class_label": "class", "f1": "F1", "support": "videos"}
            )
        else:
            has_statistics = False
    return ModelSection(
        figures=figures,
        models=models,
        regression_metrics=regression_metrics,
        has_statistics=has_statistics,
        has_importances=bool(importances),
        drift=collect_drift(con, facts),
    )


def collect_drift(con: duckdb.DuckDBPyConnection, facts: Facts) -> pd.DataFrame | None:
    """The drift rows of the last scoring run (`ml.score_drift`), or None before any."""
    if not relation_exists(con, rc.SCORE_DRIFT):
        return None
    last = f"(select max(scored_at) from {rc.SCORE_DRIFT})"
    drift = query_frame(
        con,
        f"""
        select
            feature,
            psi as "PSI",
            threshold,
            case when drifted then 'drifted' else '' end as "above threshold",
            videos,
            strftime(timezone('UTC', scored_at), '%Y-%m-%d %H:%M UTC') as run_time
        from {rc.SCORE_DRIFT}
        where scored_at = {last}
        order by psi desc, feature
        """,
    )
    if drift.empty:
        return None
    mode = "a"
    if relation_exists(con, rc.SCORING_RUNS):
        runs = con.execute(
            f"select mode from {rc.SCORING_RUNS} where scored_at = {last}"
        ).fetchall()
        mode = str(runs[0][0]) if runs else mode
    facts.add("drift_videos", int(drift["videos"].iloc[0]))
    facts.add("drift_run_mode", mode, str)
    facts.add("drift_scored_at", str(drift["run_time"].iloc[0]), str)
    facts.add("drift_features", len(drift))
    facts.add("drift_drifted", int((drift["above threshold"] == "drifted").sum()))
    return drift.drop(columns=["videos", "run_time"])


def query_frame(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] | None = None
) -> pd.DataFrame:
    """A parameterised query as a frame with plain columns."""
    frame = con.execute(sql, list(parameters or [])).df()
    return rc.plain_frame(frame)


# --------------------------------------------------------------------------------------------
# Rendering and writing
# --------------------------------------------------------------------------------------------


def _read_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def bundle_name() -> str:
    """File name of the Vega bundle: the versions of Vega, Vega-Lite and vega-embed in it."""
    return (
        f"vega-{vl_convert.get_vega_version()}-lite-{_vega_lite_version()}"
        f"-embed-{vl_convert.get_vega_embed_version()}.js"
    )


def _vega_lite_version() -> str:
    """altair's Vega-Lite version as vl-convert names it ('6.4')."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def bundle_path(out_dir: Path) -> Path:
    """Where the shared bundle of this Vega version lives in the output folder."""
    return out_dir / "assets" / bundle_name()


def cache_dir() -> Path:
    """Where the Vega bundle is kept between builds (it depends on library versions only).

    `$TIKTOK_CLAIMS_CACHE`, else `$XDG_CACHE_HOME/tiktok-claims`, else
    `~/.cache/tiktok-claims`.
    """
    configured = os.environ.get("TIKTOK_CLAIMS_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tiktok-claims"


@dataclass
class Bundle:
    """The Vega + Vega-Lite + vega-embed JavaScript altair's specs need (~0.9 MB).

    vl-convert builds it (about 1.5 s of CPU) as a classic script, since browsers refuse
    module scripts from `file://`, that sets `window.vegaEmbed`. It depends only on the library
    versions, so it is cached (`cache_dir()`) and built, in a child process while the queries
    run, only when the cache lacks it.
    """

    path: Path
    process: subprocess.Popen[bytes] | None = None
    temporary: Path | None = None

    @classmethod
    def start(cls, scratch: Path) -> Bundle:
        """Use the cached bundle, or start building it (into the cache, else `scratch`)."""
        cached = cache_dir() / bundle_name()
        if cached.is_file() and cached.stat().st_size > 0:
            return cls(cached)
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            target = cached
        except OSError:
            scratch.mkdir(parents=True, exist_ok=True)
            target = scratch / bundle_name()
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        process = _start(_BUNDLE_WORKER, str(temporary), _vega_lite_version())
        return cls(target, process, temporary)

    def wait(self) -> Path:
        """The finished bundle's path."""
        if self.process is not None and self.temporary is not None:
            _finish(self.process, "writing the Vega bundle")
            self.temporary.replace(self.path)
            self.process = None
        return self.path


def publish_bundle(out_dir: Path, bundle: Path) -> str:
    """Copy the bundle into `assets/` (other versions' bundles removed) unless it is there.

    Returns its path relative to the output folder.
    """
    path = bundle_path(out_dir)
    if not path.is_file() or path.stat().st_size != bundle.stat().st_size:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob("vega-*.js"):
            stale.unlink()
        shutil.copyfile(bundle, path)
    return f"assets/{path.name}"


def render_page(
    page: Page,
    pages: Sequence[Page],
    specs: dict[str, dict[str, Any]],
    footer: str,
    vega_script: str,
) -> str:
    """The page's HTML from the template."""
    nav = "\n".join(
        f'    <li><a href="{other.file_name}"'
        + (' aria-current="page"' if other.slug == page.slug else "")
        + f">{html.escape(other.nav_title)}</a></li>"
        for other in pages
    )
    body = []
    for section in page.sections:
        anchor = f' id="{section.anchor}"' if section.anchor else ""
        body.append(f"<section{anchor}><h2>{html.escape(section.heading)}</h2>{section.prose}")
        if section.figures:
            body.append('<div class="grid">')
            body += [figure_html(figure, specs[figure.key]) for figure in section.figures]
            body.append("</div>")
        body.append("</section>")
    return Template(_read_template("page.html")).substitute(
        title=html.escape(page.title),
        style=_read_template("style.css"),
        vega_script=vega_script,
        nav=f"    <ul>\n{nav}\n    </ul>",
        lead=page.lead,
        body="\n".join(body),
        footer=footer,
        loader=_read_template("loader.js"),
    )


# vl-convert holds the GIL while it draws, so threads would not overlap it with the rest of the
# build: it runs in child Python processes that import nothing but vl-convert. The PNG workers
# start with the build and warm up their JavaScript engine (~1 s) during the queries, then
# read the path of their job file from stdin (an empty line: nothing to draw).
_BUNDLE_WORKER = """
import pathlib, sys, vl_convert
pathlib.Path(sys.argv[1]).write_text(
    vl_convert.javascript_bundle(vl_version=sys.argv[2]), encoding="utf-8"
)
"""
_PNG_WORKER = """
import json, pathlib, sys, vl_convert
vl_convert.vegalite_to_svg({"mark": "point"})
job_file = sys.stdin.readline().strip()
for job in json.loads(pathlib.Path(job_file).read_text(encoding="utf-8")) if job_file else []:
    png = vl_convert.vegalite_to_png(job["spec"], scale=job["scale"])
    pathlib.Path(job["path"]).write_bytes(png)
"""


def _start(code: str, *arguments: str) -> subprocess.Popen[bytes]:
    """A child Python running `code` with `arguments`; stdin open, errors kept."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _finish(process: subprocess.Popen[bytes], what: str) -> None:
    """Wait for a child; raise with its error output if it failed."""
    if process.stdin is not None and not process.stdin.closed:
        process.stdin.close()
    error = process.stderr.read() if process.stderr is not None else b""
    if process.wait() != 0:
        raise RuntimeError(f"{what} failed: {error.decode(errors='replace')[-2000:]}")


def png_hash(spec: dict[str, Any], scale: float) -> str:
    """What a chart's PNG depends on: its spec, the scale and vl-convert's Vega version.

    Floats count to 9 significant digits: DuckDB sums floats in parallel, so their last bits
    can change from run to run without changing a pixel.
    """
    text = json.dumps(_rounded(spec), sort_keys=True)
    text += f"|{scale}|{vl_convert.get_vega_version()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _rounded(value: Any) -> Any:
    """`value` with every float rounded to 9 significant digits, recursively."""
    if isinstance(value, float):
        return float(f"{value:.9g}") if math.isfinite(value) else value
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def charts_to_draw(
    specs: dict[str, dict[str, Any]], charts_dir: Path, scale: float
) -> list[tuple[str, dict[str, Any]]]:
    """The charts whose PNG is missing or was drawn from another spec; remembers the new ones.

    `charts/.png-hashes.json` records what each PNG was drawn from, so a rebuild on unchanged
    data draws nothing.
    """
    charts_dir.mkdir(parents=True, exist_ok=True)
    manifest = charts_dir / ".png-hashes.json"
    try:
        drawn = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        drawn = {}
    hashes = {key: png_hash(spec, scale) for key, spec in specs.items()}
    manifest.write_text(json.dumps(hashes, indent=1), encoding="utf-8")
    return [
        (key, spec)
        for key, spec in specs.items()
        if drawn.get(key) != hashes[key] or not (charts_dir / f"{key}.png").is_file()
    ]


def send_png_jobs(
    workers: list[subprocess.Popen[bytes]],
    charts: list[tuple[str, dict[str, Any]]],
    charts_dir: Path,
    scale: float,
) -> list[Path]:
    """Deal the charts out to the workers, largest spec first; return the job files."""
    batches: list[list[dict[str, Any]]] = [[] for _ in workers]
    ordered = sorted(charts, key=lambda item: -len(json.dumps(item[1])))
    for index, (key, spec) in enumerate(ordered):
        batches[index % len(batches)].append(
            {"spec": spec, "scale": scale, "path": str(charts_dir / f"{key}.png")}
        )
    job_files = []
    for number, (worker, batch) in enumerate(zip(workers, batches, strict=True)):
        line = b"\n"
        if batch:
            job_file = charts_dir / f".png-jobs-{number}.json"
            job_file.write_text(json.dumps(batch), encoding="utf-8")
            job_files.append(job_file)
            line = f"{job_file}\n".encode()
        if worker.stdin is not None:
            worker.stdin.write(line)
            worker.stdin.close()
    return job_files


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A short fingerprint of the marts' sizes (to tell two reports' data apart)."""
    parts = []
    for relation in REQUIRED_MARTS:
        row = con.execute(f"select count(*) from {relation}").fetchone()
        parts.append(f"{relation}={row[0] if row else 0}")
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
    png_scale: float = PNG_SCALE,
    timings: dict[str, float] | None = None,
) -> Path:
    """Build every page of the report into `out_dir`; return the path of `index.html`.

    Reads `db_path` through one read-only connection (marts and `ml` tables only) and the
    champion's `metrics.json` under `artifacts_dir` where present. Raises `MlError` (with the
    fix in its message) when the warehouse or a mart is missing. Pass a dict as `timings` to
    get the seconds each step took.
    """
    db_path, artifacts_dir, out_dir = Path(db_path), Path(artifacts_dir), Path(out_dir)
    timings = {} if timings is None else timings
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    # Child processes start now: the Vega bundle (unless cached) and the PNG workers warm up
    # while DuckDB answers the queries.
    bundle = Bundle.start(out_dir / "assets")
    # Without PNGs from an earlier build here, every chart will be drawn: start the workers
    # now. Otherwise most PNGs are likely current, and workers start only if some are not.
    first_build = not (out_dir / "charts" / ".png-hashes.json").is_file()
    workers = [_start(_PNG_WORKER) for _ in range(PNG_WORKERS)] if png and first_build else []
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
    bundle: Bundle,
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
    with _phase("queries", timings), reading(db_path) as con:
        for relation in REQUIRED_MARTS:
            require_relation(con, relation, db_path)
        names = rc.measures(con)
        outliers = rc.query_outliers(con, names[1:])
        facts = collect_data_facts(con, names[1:], outliers)
        warehouse = warehouse_pages(con, facts)
        model = collect_model(con, artifacts_dir, facts)
        fingerprint = _fingerprint(con)
    if model is None:
        log.warning(
            "report: no ml.claim_predictions / ml.model_runs in %s: the model section is left "
            "out (run `python -m ml train`, `score` and `stats` first)",
            db_path,
        )

    pages = [summary_page(facts, warehouse["dashboard"], model)]
    pages += [warehouse["distributions"], warehouse["engagement"]]
    if model is not None:
        pages.append(model.page(facts))

    with _phase("specs", timings):
        figures = all_figures(pages)
        keys = [figure.key for figure in figures]
        if len(keys) != len(set(keys)):
            raise ValueError(f"duplicate figure keys: {keys}")
        specs = {
            figure.key: finished_spec(figure.chart, _plain(figure.caption)) for figure in figures
        }

    charts_dir = out_dir / "charts"
    if not png:
        shutil.rmtree(charts_dir, ignore_errors=True)
    for stale in charts_dir.glob("*.png") if charts_dir.is_dir() else []:
        if stale.stem not in specs:
            stale.unlink()
    job_files: list[Path] = []
    if png:
        to_draw = charts_to_draw(specs, charts_dir, png_scale)
        if to_draw and not workers:
            workers += [_start(_PNG_WORKER) for _ in range(min(PNG_WORKERS, len(to_draw)))]
        job_files = send_png_jobs(workers, to_draw, charts_dir, png_scale)

    with _phase("pages", timings):
        if inline_js:
            script = bundle.wait().read_text(encoding="utf-8").replace("</script", "<\\/script")
            vega_script = f"<script>\n{script}\n</script>"
        else:
            vega_script = f'<script src="{publish_bundle(out_dir, bundle.wait())}"></script>'
        generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        footer = (
            f"Generated {generated} by <code>python -m ml report</code> from "
            f"<code>{html.escape(db_path.name)}</code> (marts fingerprint {fingerprint}). "
            f"Charts: Vega-Lite {html.escape(alt.SCHEMA_VERSION)}, drawn in your browser with "
            "no network access; each is also a PNG under <code>charts/</code>."
        )
        for page in pages:
            text = render_page(page, pages, specs, footer, vega_script)
            (out_dir / page.file_name).write_text(text, encoding="utf-8")
        for slug in set(PAGE_SLUGS) - {page.slug for page in pages}:
            (out_dir / f"{slug}.html").unlink(missing_ok=True)
        (out_dir / "summary.json").write_text(
            json.dumps(
                {
                    "generated": generated,
                    "fingerprint": fingerprint,
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
                _finish(worker, "drawing the PNGs")
            for job_file in job_files:
                job_file.unlink()
    else:
        for worker in workers:
            _finish(worker, "a PNG worker")


def _plain(caption: str) -> str:
    """A caption without its HTML tags (for the chart's aria description)."""
    out, inside = [], False
    for char in caption:
        if char == "<":
            inside = True
        elif char == ">":
            inside = False
        elif not inside:
            out.append(char)
    return html.unescape("".join(out))


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def configure_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the report's options to `parser` (shared by `add_cli` and `main`)."""
    parser.add_argument(
        "--db-path",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: $TIKTOK_DUCKDB_PATH, else tiktok.duckdb)",
    )
    parser.add_argument(
        "--artifacts-dir",
        type=Path,
        default=DEFAULT_ARTIFACTS_DIR,
        help="where `ml train` wrote metrics.json (default: artifacts/)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="where to write the report (default: reports/)",
    )
    parser.add_argument("--no-png", action="store_true", help="skip the PNG copies of the charts")
    parser.add_argument(
        "--png-scale",
        type=float,
        default=PNG_SCALE,
        help=f"pixel density of the PNGs (default {PNG_SCALE:g}; 2 doubles width and height)",
    )
    parser.add_argument(
        "--inline-js",
        action="store_true",
        help="put the Vega JavaScript in every page (self-contained files, ~0.9 MB each)",
    )
    parser.set_defaults(handler=run)
    return parser


def add_cli(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `report` to another CLI's subcommands; the parsed args carry `handler=run`."""
    parser = subparsers.add_parser(
        "report",
        help="write the stakeholder report (reports/index.html) from the marts and ml tables",
        description=DESCRIPTION,
    )
    return configure_parser(parser)


def run(args: argparse.Namespace) -> int:
    """Build the report from parsed arguments; print where it is and how long it took."""
    start = time.perf_counter()
    timings: dict[str, float] = {}
    index = build_report(
        args.db_path or default_db_path(),
        args.artifacts_dir,
        args.out_dir,
        png=not args.no_png,
        inline_js=args.inline_js,
        png_scale=args.png_scale,
        timings=timings,
    )
    size = sum(path.stat().st_size for path in index.parent.rglob("*") if path.is_file())
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(
        f"report written to {index} ({size / 1e6:.1f} MB in {index.parent}; "
        f"{time.perf_counter() - start:.1f} s: {steps})"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ml.report [options]`; exit status 2 with one line on a fixable problem."""
    parser = configure_parser(
        argparse.ArgumentParser(prog="python -m ml report", description=DESCRIPTION)
    )
    args = parser.parse_args(argv)
    try:
        return run(args)
    except MlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
