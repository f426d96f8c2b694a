"""Data of the engagement page and the dashboard: counts, medians, shares, rates (`marts.*`).

These functions are being rebuilt as dbt models in `models/reporting/` (schema `reporting`).
Their names, signatures and output frames are the contract: each body can be swapped for a
plain `select * from reporting.<model>` without touching the pages. Every statement goes
through `report.data.read` (`query`, `read_rows`), which records the relations read.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from report.data.distributions import ENGAGEMENT, VIDEOS, Binning, query_histograms
from report.data.read import query, read_rows
from report.theme import RATIO_LABELS, UNLABELED

SCATTER_SAMPLE_ROWS = 2_000


def query_status_counts(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Videos per (claim status, `by`), `by` being `verified_status` or `author_ban_status`."""
    if by not in {"verified_status", "author_ban_status"}:
        raise ValueError(f"cannot split by {by!r}")
    sql = f"""
    select
        coalesce(claim_status, '{UNLABELED}') as claim_status,
        {by},
        count(*) as video_count
    from {VIDEOS}
    group by 1, 2
    order by 1, 2
    """
    return query(con, sql)


def query_median_views(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Median (exact) and mean views per `by` value over videos with a view count."""
    if by not in {"claim_status", "author_ban_status"}:
        raise ValueError(f"cannot group by {by!r}")
    sql = f"""
    select
        {by},
        count(video_view_count) as video_count,
        quantile_cont(video_view_count, 0.5) as median_views,
        avg(video_view_count) as mean_views
    from {VIDEOS}
    where video_view_count is not null
    group by 1
    order by 1
    """
    return query(con, sql)


def query_view_share(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Total views per claim status and its share of all views."""
    sql = f"""
    with

    totals as (
        select
            coalesce(claim_status, '{UNLABELED}') as claim_status,
            cast(sum(video_view_count) as double) as total_views,
            count(*) as video_count
        from {VIDEOS}
        group by 1
    )

    select
        claim_status,
        total_views,
        video_count,
        total_views / sum(total_views) over () as share_of_views
    from totals
    where total_views > 0
    order by 1
    """
    return query(con, sql)


def query_engagement_ratios(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Mean and median per-view rates by (claim status, author ban status), labeled videos only.

    Read from `marts.engagement_by_status`, reshaped long: one row per group and rate.
    """
    parts = " union all ".join(
        f"""
        select
            claim_status,
            author_ban_status,
            video_count,
            '{ratio}' as ratio,
            mean_{ratio} as mean_value,
            median_{ratio} as median_value
        from {ENGAGEMENT}
        where is_labeled
        """
        for ratio in RATIO_LABELS
    )
    frame = query(con, f"select * from ({parts}) order by 1, 2, 4")
    frame["ratio_label"] = frame["ratio"].map(RATIO_LABELS)
    return frame


def query_scatter_sample(
    con: duckdb.DuckDBPyConnection, opinions_only: bool = False, rows: int = SCATTER_SAMPLE_ROWS
) -> tuple[pd.DataFrame, int]:
    """A deterministic sample of at most `rows` labeled videos with views and likes.

    The sample is the `rows` videos with the smallest `hash(video_id)`: the same videos on every
    run and engine thread count, drawn without bias towards any column. Returns the sample and
    the number of videos it was drawn from.
    """
    where = "claim_status is not null and video_view_count is not null"
    where += " and video_like_count is not null"
    if opinions_only:
        where += " and claim_status = 'opinion'"
    population = next(iter(read_rows(con, f"select count(*) from {VIDEOS} where {where}")), None)
    sample = query(
        con,
        f"""
        select
            claim_status,
            video_view_count,
            video_like_count
        from {VIDEOS}
        where {where}
        order by hash(video_id), video_id
        limit {int(rows)}
        """,
    )
    return sample, int(population[0]) if population else 0


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


def query_dashboard(con: duckdb.DuckDBPyConnection, views: Binning) -> DashboardData:
    """Aggregates that the dashboard re-aggregates in the browser under any selection."""
    cells = query(
        con,
        f"""
        select
            coalesce(claim_status, '{UNLABELED}') as claim_status,
            verified_status,
            author_ban_status,
            count(*) as video_count,
            coalesce(cast(sum(video_view_count) as double), 0) as total_views
        from {VIDEOS}
        group by 1, 2, 3
        order by 1, 2, 3
        """,
    )
    histogram = query_histograms(con, {"video_view_count": views}, by_ban_status=True)
    ratio_parts = " union all ".join(
        f"""
        select
            coalesce(claim_status, '{UNLABELED}') as claim_status,
            author_ban_status,
            '{RATIO_LABELS[ratio]}' as ratio,
            sum({ratio}) as ratio_sum,
            count({ratio}) as ratio_count
        from {VIDEOS}
        group by 1, 2
        """
        for ratio in RATIO_LABELS
    )
    ratios = query(con, f"select * from ({ratio_parts}) where ratio_count > 0 order by 1, 2, 3")
    return DashboardData(cells=cells, views_histogram=histogram, views_binning=views, ratios=ratios)
