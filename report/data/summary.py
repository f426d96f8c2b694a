"""The summary's warehouse figures: one row of `reporting.rpt_summary_figures`.

Each figure is computed by the warehouse build and named there as the report names it; here it
is only read and given the way the page writes it. Every statement goes through
`report.data.read`, which records the relations read.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from report.data import distributions, engagement
from report.data.read import read_raw
from report.facts import Facts, fmt_num, fmt_pct, fmt_times, outlier_rule
from report.theme import measure_label

SUMMARY_FIGURES = "reporting.rpt_summary_figures"
# The warehouse relations the report cannot do without (checked before it reads anything).
REQUIRED_RELATIONS = (
    distributions.MEASURES,
    distributions.DISTRIBUTION_STATS,
    distributions.HISTOGRAM_BINNINGS,
    distributions.HISTOGRAMS,
    distributions.HISTOGRAMS_BY_BAN_STATUS,
    distributions.OUTLIERS,
    engagement.STATUS_COUNTS,
    engagement.MEDIAN_VIEWS,
    engagement.VIEW_SHARE,
    engagement.ENGAGEMENT_RATIOS,
    engagement.SCATTER_SAMPLE,
    engagement.DASHBOARD_CELLS,
    engagement.DASHBOARD_RATIOS,
    SUMMARY_FIGURES,
)

COUNTS = (
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
    "training_rows",
)
SHARES = (
    "labeled_share",
    "complete_share",
    "claim_share",
    "opinion_share",
    "verified_opinion_share",
    "claims_not_active_share",
    "opinions_not_active_share",
    "any_outlier_share",
)
MEDIANS = (
    "median_views_claim",
    "median_views_opinion",
    "median_views_active",
    "median_views_under_review",
    "median_views_banned",
    "median_shares_active",
    "median_shares_banned",
)
TIMES_RATIOS = (
    "median_views_claim_to_opinion",
    "median_views_banned_to_active",
    "median_shares_banned_to_active",
)


def summary_figures(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The one row of `rpt_summary_figures` as {column: value}, None for a missing value."""
    frame = read_raw(con, f"select * from {SUMMARY_FIGURES}")
    if frame.empty:
        return {}
    return {key: (None if pd.isna(value) else value) for key, value in frame.iloc[0].items()}


def collect_data_facts(con: duckdb.DuckDBPyConnection, count_columns: list[str]) -> Facts:
    """The warehouse's figures for the summary, each read from `rpt_summary_figures`.

    `count_columns` are the count columns in the report's order (`measures` without duration):
    each has `outliers_<column>` and `outlier_threshold_<column>` figures.
    """
    values = summary_figures(con)
    facts = Facts()
    for name in COUNTS:
        facts.add(name, values.get(name))
    for name in SHARES:
        facts.add(name, values.get(name), fmt_pct)
    for name in MEDIANS:
        facts.add(name, values.get(name), fmt_num)
    facts.add("claim_share_of_views", values.get("claim_share_of_views"), fmt_pct)
    for name in TIMES_RATIOS:
        facts.add(name, values.get(name), fmt_times)
    for rate in ("likes", "shares", "comments"):
        for status in ("claim", "opinion"):
            name = f"mean_{rate}_per_view_{status}"
            facts.add(name, values.get(name), lambda v: fmt_pct(v, 2))
    for column in count_columns:
        facts.add(f"outliers_{column}", values.get(f"outliers_{column}"))
        facts.add(f"outlier_threshold_{column}", values.get(f"outlier_threshold_{column}"), fmt_num)
    for name in ("outliers_fewest_column", "outliers_most_column"):
        if values.get(name) is not None:
            facts.add(name, measure_label(values[name]).lower(), str)
    rule = outlier_rule(values.get("outlier_method"), values.get("outlier_iqr_multiplier"))
    facts.add("outlier_rule", rule, str)
    return facts
