"""Data of the engagement page and the dashboard: counts, medians, shares, rates (`reporting.*`).

Plain selects from the dbt models in `models/reporting/` (docs/reporting.md). Every statement
goes through `report.data.read`, which records the relations read.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from report.data.distributions import Binning, binnings, query_views_histogram_by_ban_status
from report.data.read import query, read_rows

STATUS_COUNTS = "reporting.rpt_status_counts"
MEDIAN_VIEWS = "reporting.rpt_median_views"
VIEW_SHARE = "reporting.rpt_view_share"
ENGAGEMENT_RATIOS = "reporting.rpt_engagement_ratios"
SCATTER_SAMPLE = "reporting.rpt_scatter_sample"
DASHBOARD_CELLS = "reporting.rpt_dashboard_cells"
DASHBOARD_RATIOS = "reporting.rpt_dashboard_ratios"
SCATTER_SAMPLE_ROWS = 2_000


def query_status_counts(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Videos per (claim status, `by`), `by` being `verified_status` or `author_ban_status`."""
    if by not in {"verified_status", "author_ban_status"}:
        raise ValueError(f"cannot split by {by!r}")
    return query(
        con,
        f"""
        select claim_status, status as {by}, video_count
        from {STATUS_COUNTS}
        where grouped_by = '{by}'
        order by 1, 2
        """,
    )


def query_median_views(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Median (exact) and mean views per `by` value over videos with a view count."""
    if by not in {"claim_status", "author_ban_status"}:
        raise ValueError(f"no median views per {by!r}")
    return query(
        con,
        f"""
        select status as {by}, video_count, median_views, mean_views
        from {MEDIAN_VIEWS}
        where grouped_by = '{by}'
        order by 1
        """,
    )


def query_view_share(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Total views per claim status with views, and its share of all views."""
    return query(
        con,
        f"""
        select claim_status, total_views, video_count, share_of_views
        from {VIEW_SHARE}
        where total_views > 0
        order by 1
        """,
    )


def query_engagement_ratios(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Mean and median per-view rates by (claim status, author ban status), labeled videos only:
    one row per group and rate, with the rate's label."""
    return query(
        con,
        f"select * from {ENGAGEMENT_RATIOS} order by claim_status, author_ban_status, ratio",
    )


def query_scatter_sample(
    con: duckdb.DuckDBPyConnection, opinions_only: bool = False, rows: int = SCATTER_SAMPLE_ROWS
) -> tuple[pd.DataFrame, int]:
    """The first `rows` (at most `SCATTER_SAMPLE_ROWS`) videos of the deterministic sample of
    labeled videos with views and likes, and the number of videos it was drawn from.

    The sample is the videos with the smallest hash of their id (`rpt_scatter_sample`): the
    same videos on every run, drawn without bias towards any column.
    """
    where = f"where is_opinions_only = {bool(opinions_only)} and sample_rank <= {int(rows)}"
    sample = query(
        con,
        f"""
        select claim_status, video_view_count, video_like_count
        from {SCATTER_SAMPLE}
        {where}
        order by sample_rank
        """,
    )
    population = read_rows(
        con,
        f"select population from {SCATTER_SAMPLE} {where} order by sample_rank limit 1",
    )
    return sample, int(population[0][0]) if population else 0


@dataclass(frozen=True)
class DashboardData:
    """The small tables behind the overview dashboard (tens to hundreds of rows)."""

    cells: pd.DataFrame
    """One row per (claim status, verified status, author ban status): videos and views."""
    views_histogram: pd.DataFrame
    """Videos per (view-count bin, claim status, author ban status)."""
    views_binning: Binning
    """How the view counts are binned."""
    ratios: pd.DataFrame
    """Per (claim status, author ban status, rate): sum and count of the per-view rates."""


def query_dashboard(con: duckdb.DuckDBPyConnection) -> DashboardData:
    """The tables that the dashboard re-aggregates in the browser under any selection."""
    return DashboardData(
        cells=query(
            con,
            (
                f"select * from {DASHBOARD_CELLS} "
                "order by claim_status, verified_status, author_ban_status"
            ),
        ),
        views_histogram=query_views_histogram_by_ban_status(con),
        views_binning=binnings(con)["video_view_count"],
        ratios=query(
            con,
            (f"select * from {DASHBOARD_RATIOS} order by claim_status, author_ban_status, ratio"),
        ),
    )
