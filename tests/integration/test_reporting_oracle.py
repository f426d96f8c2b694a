"""Oracle: the reporting models (`reporting.*`) built on the real export.

- pandas reads the real CSV itself and computes the same figures (cleaning rules as in
  test_marts_oracle.py: enums stripped and lowercased, rates over non-zero views, the one
  outlier rule median + 1.5 x IQR), sharing no code with the SQL;
- the report (`report.data`) draws exactly these tables: each of its reads equals the plain
  `select` of docs/reporting.md (SWAPS below), and each summary figure the page quotes equals
  its column of `rpt_summary_figures`.

Counts must match exactly and floats to 1e-9 relative.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from report import data as rc
from report.theme import TIMES, measure_label

COUNT_COLUMNS = [
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
]
MEASURES = ["video_duration_sec", *COUNT_COLUMNS]
RATES = {
    "likes_per_view": ("video_like_count", "Likes per view"),
    "comments_per_view": ("video_comment_count", "Comments per view"),
    "shares_per_view": ("video_share_count", "Shares per view"),
}
MULTIPLIER = 1.5  # the outlier_iqr_multiplier var's default; outlier_method 'median'
BINS = 40
SAMPLE_ROWS = 2_000
RTOL = 1e-9

# Each of the report's reads -> the select over reporting.* it is (docs/reporting.md).
SWAPS = {
    "measures": "select measure from reporting.rpt_measures order by measure_position",
    "distribution_stats": (
        "select * from reporting.rpt_distribution_stats order by measure, group_name"
    ),
    "binnings": "select * from reporting.rpt_histogram_binnings order by measure",
    "histograms": (
        "select * from reporting.rpt_histograms order by measure, bin_start, claim_status"
    ),
    "status_counts": """
        select claim_status, status as {by}, video_count
        from reporting.rpt_status_counts
        where grouped_by = '{by}'
        order by 1, 2
    """,
    "median_views": """
        select status as {by}, video_count, median_views, mean_views
        from reporting.rpt_median_views
        where grouped_by = '{by}'
        order by 1
    """,
    "view_share": """
        select claim_status, total_views, video_count, share_of_views
        from reporting.rpt_view_share
        where total_views > 0
        order by 1
    """,
    "outliers": """
        select * exclude (column_position, outlier_method, outlier_iqr_multiplier)
        from reporting.rpt_outliers
        order by column_position
    """,
    "engagement_ratios": (
        "select * from reporting.rpt_engagement_ratios"
        " order by claim_status, author_ban_status, ratio"
    ),
    "scatter_sample": """
        select claim_status, video_view_count, video_like_count
        from reporting.rpt_scatter_sample
        where is_opinions_only = {opinions_only}
        order by sample_rank
    """,
    "scatter_population": """
        select coalesce(max(population), 0)
        from reporting.rpt_scatter_sample
        where is_opinions_only = {opinions_only}
    """,
    "dashboard_cells": (
        "select * from reporting.rpt_dashboard_cells"
        " order by claim_status, verified_status, author_ban_status"
    ),
    "dashboard_views_histogram": """
        select * from reporting.rpt_histograms_by_ban_status
        where measure = 'video_view_count'
        order by measure, bin_start, claim_status, author_ban_status
    """,
    "dashboard_ratios": (
        "select * from reporting.rpt_dashboard_ratios"
        " order by claim_status, author_ban_status, ratio"
    ),
    "summary_figures": "select * from reporting.rpt_summary_figures",
}


@pytest.fixture(scope="module")
def con(real_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(real_warehouse), read_only=True)
    yield connection
    connection.close()


def select(con: duckdb.DuckDBPyConnection, swap: str, **params: object) -> pd.DataFrame:
    """A reporting relation through its swap, as the report's `query` would return it."""
    return rc.plain_frame(con.execute(SWAPS[swap].format(**params)).df())


@pytest.fixture(scope="module")
def export(real_dataset: Path) -> pd.DataFrame:
    """The real export as pandas reads it, cleaned as the warehouse cleans it."""
    df = pd.read_csv(real_dataset)
    for column in ["claim_status", "verified_status", "author_ban_status"]:
        df[column] = df[column].str.strip().str.lower()
    views = df["video_view_count"].where(df["video_view_count"] != 0)
    for rate, (count, _) in RATES.items():
        df[rate] = df[count] / views
    df["claim_group"] = df["claim_status"].fillna("unlabeled")
    df["has_complete_features"] = (
        df[["video_transcription_text", *COUNT_COLUMNS]].notna().all(axis=1)
    )
    any_outlier = pd.Series(False, index=df.index)
    for column in COUNT_COLUMNS:
        q1, median, q3 = df[column].quantile([0.25, 0.5, 0.75])
        any_outlier |= df[column] > median + MULTIPLIER * (q3 - q1)
    df["is_any_outlier"] = any_outlier
    return df


def assert_frames_equal(got: pd.DataFrame, want: pd.DataFrame, what: str) -> None:
    """Same columns in the same order, same rows in the same order, same values."""
    assert list(got.columns) == list(want.columns), f"{what}: columns differ"
    assert len(got) == len(want), f"{what}: {len(got)} rows, expected {len(want)}"
    for column in want.columns:
        a, b = got[column], want[column]
        if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
            np.testing.assert_allclose(
                a.astype("float64").to_numpy(na_value=np.nan),
                b.astype("float64").to_numpy(na_value=np.nan),
                rtol=RTOL,
                atol=0,
                equal_nan=True,
                err_msg=f"{what}: column {column}",
            )
        else:
            a_values = a.astype(object).where(a.notna(), None).tolist()
            b_values = b.astype(object).where(b.notna(), None).tolist()
            assert a_values == b_values, f"{what}: column {column} differs"


# --- the report draws the reporting tables -------------------------------------------------


@pytest.mark.real_data
def test_the_report_reads_the_reporting_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Each frame a page draws is its reporting table, through the documented select."""
    assert rc.measures(con) == select(con, "measures")["measure"].tolist() == MEASURES
    pairs = {
        "distribution_stats": rc.query_distribution_stats(con),
        "histograms": rc.query_histograms(con),
        "view_share": rc.query_view_share(con),
        "outliers": rc.query_outliers(con).drop(
            columns=["label", "outlier_method", "outlier_iqr_multiplier"]
        ),
        "engagement_ratios": rc.query_engagement_ratios(con),
    }
    for by in ["verified_status", "author_ban_status"]:
        assert_frames_equal(
            rc.query_status_counts(con, by), select(con, "status_counts", by=by), by
        )
    for by in ["claim_status", "author_ban_status"]:
        assert_frames_equal(rc.query_median_views(con, by), select(con, "median_views", by=by), by)
    for swap, frame in pairs.items():
        assert len(frame) >= 2, swap
        assert_frames_equal(frame, select(con, swap), swap)
    binnings = select(con, "binnings").set_index("measure")
    widths = rc.binnings(con)
    assert sorted(widths) == sorted(binnings.index) == sorted(MEASURES)
    for measure, binning in widths.items():
        assert binning.width == binnings.loc[measure, "width"]
        assert binning.log is bool(binnings.loc[measure, "is_log"])
    dashboard = rc.query_dashboard(con)
    assert dashboard.views_binning == widths["video_view_count"]
    assert_frames_equal(dashboard.cells, select(con, "dashboard_cells"), "dashboard cells")
    assert_frames_equal(
        dashboard.views_histogram, select(con, "dashboard_views_histogram"), "views histogram"
    )
    assert_frames_equal(dashboard.ratios, select(con, "dashboard_ratios"), "dashboard ratios")
    for opinions_only in [False, True]:
        sample, population = rc.query_scatter_sample(con, opinions_only=opinions_only)
        assert len(sample) == SAMPLE_ROWS
        want = select(con, "scatter_sample", opinions_only=opinions_only)
        assert_frames_equal(sample, want, "scatter sample")
        got = con.execute(SWAPS["scatter_population"].format(opinions_only=opinions_only))
        assert got.fetchone() == (population,)


@pytest.mark.real_data
def test_summary_facts_are_the_summary_figures(con: duckdb.DuckDBPyConnection) -> None:
    """Every figure the summary page quotes is a column of `rpt_summary_figures`."""
    facts = rc.collect_data_facts(con, COUNT_COLUMNS)
    row = select(con, "summary_figures")
    assert len(row) == 1
    figures = row.iloc[0].to_dict()
    labels = {"outliers_fewest_column", "outliers_most_column", "outlier_rule"}
    numbers = [name for name in facts.items if name not in labels]
    assert len(numbers) >= 27
    for name in numbers:
        assert name in figures, f"rpt_summary_figures lacks {name}"
        want, got = figures[name], facts.value(name)
        if want is None or (isinstance(want, float) and math.isnan(want)):
            assert got is None, name
        else:
            assert got == pytest.approx(want, rel=RTOL), name
    for name in ["outliers_fewest_column", "outliers_most_column"]:
        assert measure_label(figures[name]).lower() == facts.value(name)
    rule = f"{figures['outlier_method']} + {figures['outlier_iqr_multiplier']:g} {TIMES} IQR"
    assert facts.value("outlier_rule") == rule


# --- the oracle: each model equals pandas on the CSV ----------------------------------------


@pytest.mark.real_data
def test_summary_figures_equal_pandas(con: duckdb.DuckDBPyConnection, export: pd.DataFrame) -> None:
    figures = select(con, "summary_figures").iloc[0]
    labeled = export[export["claim_status"].notna()]
    claims = export[export["claim_status"] == "claim"]
    opinions = export[export["claim_status"] == "opinion"]
    verified = labeled[labeled["verified_status"] == "verified"]
    by_ban = export.groupby("author_ban_status")
    counts = {
        "videos_total": len(export),
        "videos_labeled": len(labeled),
        "videos_unlabeled": len(export) - len(labeled),
        "videos_complete": int(export["has_complete_features"].sum()),
        "videos_incomplete": int((~export["has_complete_features"]).sum()),
        "claims": len(claims),
        "opinions": len(opinions),
        "verified_labeled": len(verified),
        "verified_opinions": int((verified["claim_status"] == "opinion").sum()),
        "claims_not_active": int((claims["author_ban_status"] != "active").sum()),
        "opinions_not_active": int((opinions["author_ban_status"] != "active").sum()),
        "videos_any_outlier": int(export["is_any_outlier"].sum()),
    }
    assert counts["claims"] == 9_608 and counts["opinions"] == 9_476
    for name, value in counts.items():
        assert figures[name] == value, name
    floats = {
        "labeled_share": counts["videos_labeled"] / counts["videos_total"],
        "complete_share": counts["videos_complete"] / counts["videos_total"],
        "claim_share": counts["claims"] / counts["videos_labeled"],
        "opinion_share": counts["opinions"] / counts["videos_labeled"],
        "verified_opinion_share": counts["verified_opinions"] / counts["verified_labeled"],
        "claims_not_active_share": counts["claims_not_active"] / counts["claims"],
        "opinions_not_active_share": counts["opinions_not_active"] / counts["opinions"],
        "any_outlier_share": counts["videos_any_outlier"] / counts["videos_total"],
        "median_views_claim": claims["video_view_count"].median(),
        "median_views_opinion": opinions["video_view_count"].median(),
        "median_views_active": by_ban["video_view_count"].median()["active"],
        "median_views_under_review": by_ban["video_view_count"].median()["under review"],
        "median_views_banned": by_ban["video_view_count"].median()["banned"],
        "median_shares_active": by_ban["video_share_count"].median()["active"],
        "median_shares_banned": by_ban["video_share_count"].median()["banned"],
        "claim_share_of_views": claims["video_view_count"].sum() / export["video_view_count"].sum(),
    }
    floats["median_views_claim_to_opinion"] = (
        floats["median_views_claim"] / floats["median_views_opinion"]
    )
    floats["median_views_banned_to_active"] = (
        floats["median_views_banned"] / floats["median_views_active"]
    )
    floats["median_shares_banned_to_active"] = (
        floats["median_shares_banned"] / floats["median_shares_active"]
    )
    for rate in RATES:
        floats[f"mean_{rate}_claim"] = claims[rate].mean()
        floats[f"mean_{rate}_opinion"] = opinions[rate].mean()
    outlier_counts = {}
    for column in COUNT_COLUMNS:
        q1, median, q3 = export[column].quantile([0.25, 0.5, 0.75])
        floats[f"outlier_threshold_{column}"] = median + MULTIPLIER * (q3 - q1)
        outlier_counts[column] = int((export[column] > median + MULTIPLIER * (q3 - q1)).sum())
        assert figures[f"outliers_{column}"] == outlier_counts[column], column
    for name, value in floats.items():
        assert figures[name] == pytest.approx(value, rel=RTOL), name
    assert figures["outliers_fewest_column"] == min(outlier_counts, key=outlier_counts.get)
    assert figures["outliers_most_column"] == max(outlier_counts, key=outlier_counts.get)
    assert (figures["outlier_method"], figures["outlier_iqr_multiplier"]) == ("median", 1.5)
    training = con.execute("select count(*) from marts.claim_features").fetchone()
    assert training is not None and figures["training_rows"] == training[0]


def box_stats(values: pd.Series) -> dict[str, float]:
    """The box plot of `values` under the one outlier rule (median + 1.5 x IQR, no lower fence)."""
    q1, median, q3 = values.quantile([0.25, 0.5, 0.75])
    fence = median + MULTIPLIER * (q3 - q1)
    return {
        "video_count": len(values),
        "min_value": values.min(),
        "q1": q1,
        "median": median,
        "q3": q3,
        "max_value": values.max(),
        "mean": values.mean(),
        "whisker_low": values.min(),
        "whisker_high": values[values <= fence].max(),
        "below_whisker": 0,
        "above_whisker": int((values > fence).sum()),
    }


@pytest.mark.real_data
def test_distribution_stats_and_histograms_equal_pandas(
    con: duckdb.DuckDBPyConnection, export: pd.DataFrame
) -> None:
    rows = []
    for measure in MEASURES:
        groups = [("all videos", export), *export.groupby("claim_group")]
        for group_name, frame in groups:
            values = frame[measure].dropna().astype("float64")
            if len(values):
                rows.append({"measure": measure, "group_name": group_name, **box_stats(values)})
    oracle = pd.DataFrame(rows).sort_values(["measure", "group_name"], ignore_index=True)
    assert_frames_equal(select(con, "distribution_stats"), oracle, "rpt_distribution_stats")

    # Bins: round linear seconds for duration, 1/20-decade multiples of log10(v + 1) otherwise.
    duration = export["video_duration_sec"].dropna()
    raw = (duration.max() - min(0.0, duration.min())) / BINS
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if raw <= f * power)
    widths = {"video_duration_sec": (max(step, 1.0), False)}
    for column in COUNT_COLUMNS:
        decades = math.log10(export[column].max() + 1)
        widths[column] = (max(0.05, math.floor(decades / BINS * 20 + 0.5) / 20), True)
    binnings = select(con, "binnings").set_index("measure")
    parts = []
    for measure, (width, is_log) in widths.items():
        assert binnings.loc[measure, "width"] == pytest.approx(width, rel=RTOL), measure
        values = export[[measure, "claim_group"]].dropna()
        value = values[measure].astype("float64")
        key = np.floor((np.log10(value + 1) if is_log else value) / width) * width
        counts = (
            values.assign(bin_key=key)
            .groupby(["bin_key", "claim_group"])
            .size()
            .rename("video_count")
            .reset_index()
        )
        start = 10 ** counts["bin_key"] - 1 if is_log else counts["bin_key"]
        end = 10 ** (counts["bin_key"] + width) - 1 if is_log else counts["bin_key"] + width
        parts.append(
            pd.DataFrame(
                {
                    "measure": measure,
                    "width": width,
                    "claim_status": counts["claim_group"],
                    "video_count": counts["video_count"],
                    "bin_start": start,
                    "bin_end": end,
                }
            )
        )
    oracle = pd.concat(parts).sort_values(
        ["measure", "bin_start", "claim_status"], ignore_index=True
    )
    histograms = select(con, "histograms")
    assert histograms.groupby("measure")["video_count"].sum().to_dict() == {
        measure: int(export[measure].notna().sum()) for measure in MEASURES
    }
    assert_frames_equal(histograms, oracle, "rpt_histograms")


@pytest.mark.real_data
def test_group_figures_equal_pandas(con: duckdb.DuckDBPyConnection, export: pd.DataFrame) -> None:
    for by in ["author_ban_status", "verified_status"]:
        oracle = (
            export.groupby(["claim_group", by])
            .size()
            .rename("video_count")
            .reset_index()
            .rename(columns={"claim_group": "claim_status"})
        )
        assert_frames_equal(select(con, "status_counts", by=by), oracle, f"rpt_status_counts {by}")

    medians = select(con, "median_views", by="author_ban_status")
    groups = export.groupby("author_ban_status")["video_view_count"]
    oracle = pd.DataFrame(
        {
            "author_ban_status": groups.count().index,
            "video_count": groups.count().to_numpy(),
            "median_views": groups.median().to_numpy(),
            "mean_views": groups.mean().to_numpy(),
        }
    )
    assert_frames_equal(medians, oracle, "rpt_median_views")

    views = export.groupby("claim_group")["video_view_count"]
    total = export["video_view_count"].sum()
    oracle = pd.DataFrame(
        {
            "claim_status": views.sum(min_count=1).index,
            "total_views": views.sum(min_count=1).to_numpy(),
            "video_count": views.size().to_numpy(),
            "share_of_views": (views.sum(min_count=1) / total).to_numpy(),
        }
    )
    got = rc.query(con, "select * from reporting.rpt_view_share order by claim_status")
    assert_frames_equal(got, oracle, "rpt_view_share")
    assert got["share_of_views"].sum() == pytest.approx(1.0, rel=RTOL)

    ratios = select(con, "dashboard_ratios")
    rows = []
    for (claim_status, ban), frame in export.groupby(["claim_group", "author_ban_status"]):
        for rate, (_, label) in RATES.items():
            if frame[rate].count():
                rows.append((claim_status, ban, label, frame[rate].sum(), frame[rate].count()))
    oracle = pd.DataFrame(
        rows, columns=["claim_status", "author_ban_status", "ratio", "ratio_sum", "ratio_count"]
    ).sort_values(["claim_status", "author_ban_status", "ratio"], ignore_index=True)
    assert_frames_equal(ratios, oracle, "rpt_dashboard_ratios")


@pytest.mark.real_data
def test_scatter_sample_is_a_sample_of_its_population(
    con: duckdb.DuckDBPyConnection, export: pd.DataFrame
) -> None:
    sample = rc.query(con, "select * from reporting.rpt_scatter_sample")
    eligible = export[
        export["claim_status"].notna()
        & export["video_view_count"].notna()
        & export["video_like_count"].notna()
    ].set_index("video_id")
    for opinions_only, population in [
        (False, eligible),
        (True, eligible[eligible["claim_status"] == "opinion"]),
    ]:
        rows = sample[sample["is_opinions_only"] == opinions_only]
        assert rows["population"].unique().tolist() == [len(population)]
        assert sorted(rows["sample_rank"]) == list(range(1, min(SAMPLE_ROWS, len(population)) + 1))
        drawn = population.loc[rows["video_id"].astype("int64")]
        assert drawn["video_view_count"].tolist() == rows["video_view_count"].tolist()
        assert drawn["video_like_count"].tolist() == rows["video_like_count"].tolist()
        assert drawn["claim_status"].tolist() == rows["claim_status"].tolist()
