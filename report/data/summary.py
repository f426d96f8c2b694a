"""The summary's warehouse figures (`collect_data_facts`): one aggregate over `marts.videos`.

These functions are being rebuilt as dbt models in `models/reporting/` (schema `reporting`).
Their names, signatures and output frames are the contract: each body can be swapped for a
plain `select * from reporting.<model>` without touching the pages. Every statement goes
through `report.data.read` (`query`, `read_rows`), which records the relations read.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from report.data.distributions import CLAIM_FEATURES, VIDEOS
from report.data.read import read_raw, read_rows
from report.facts import Facts, fmt_num, fmt_pct, fmt_times, outlier_rule, ratio
from report.theme import measure_label


def collect_data_facts(
    con: duckdb.DuckDBPyConnection, count_columns: Sequence[str], outliers: pd.DataFrame
) -> Facts:
    """The warehouse's figures for the summary, each from one aggregate over the marts."""
    facts = Facts()
    any_outlier = " or ".join(f'coalesce("{name}_is_outlier", false)' for name in count_columns)
    row = read_raw(
        con,
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
        from {VIDEOS}
        """,
    ).iloc[0]
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
    training = read_rows(con, f"select count(*) from {CLAIM_FEATURES}")
    facts.add("training_rows", training[0][0] if training else None)
    total, labeled = values["videos_total"], values["videos_labeled"]
    facts.add("labeled_share", ratio(labeled, total), fmt_pct)
    facts.add("complete_share", ratio(values["videos_complete"], total), fmt_pct)
    facts.add("claim_share", ratio(values["claims"], labeled), fmt_pct)
    facts.add("opinion_share", ratio(values["opinions"], labeled), fmt_pct)
    facts.add(
        "verified_opinion_share",
        ratio(values["verified_opinions"], values["verified_labeled"]),
        fmt_pct,
    )
    facts.add(
        "claims_not_active_share", ratio(values["claims_not_active"], values["claims"]), fmt_pct
    )
    facts.add(
        "opinions_not_active_share",
        ratio(values["opinions_not_active"], values["opinions"]),
        fmt_pct,
    )
    facts.add("any_outlier_share", ratio(values["videos_any_outlier"], total), fmt_pct)
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
        ratio(values["median_views_claim"], values["median_views_opinion"]),
        fmt_times,
    )
    facts.add(
        "median_views_banned_to_active",
        ratio(values["median_views_banned"], values["median_views_active"]),
        fmt_times,
    )
    facts.add(
        "median_shares_banned_to_active",
        ratio(values["median_shares_banned"], values["median_shares_active"]),
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
        facts.add("outliers_fewest_column", measure_label(low["column_name"]).lower(), str)
        facts.add("outliers_most_column", measure_label(high["column_name"]).lower(), str)
    facts.add("outlier_rule", outlier_rule(outliers), str)
    return facts
