"""Oracle: every mart figure built by dbt on the real export equals pandas' own computation.

pandas reads the CSV itself and recomputes each mart the way the original notebook did
(`read_csv`, boolean masks, `groupby().agg()`, `quantile()`), sharing no code with the SQL.
Counts must match exactly and floats to 1e-9 relative. Each test also checks that it compared
every column of its mart, so a column added to a mart without an oracle fails here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

COUNT_COLUMNS = [
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
]
RATIOS = {
    "likes_per_view": "video_like_count",
    "comments_per_view": "video_comment_count",
    "shares_per_view": "video_share_count",
    "downloads_per_view": "video_download_count",
}
RTOL = 1e-9


@pytest.fixture(scope="module")
def export(real_dataset: Path) -> pd.DataFrame:
    """The real export as pandas reads it, with the analysis's derived columns."""
    df = pd.read_csv(real_dataset)
    df = df.rename(columns={"#": "source_row_number"})
    for column in ["claim_status", "verified_status", "author_ban_status"]:
        df[column] = df[column].str.strip().str.lower()
    views = df["video_view_count"].where(df["video_view_count"] != 0)
    for ratio, count in RATIOS.items():
        df[ratio] = df[count] / views
    df["is_labeled"] = df["claim_status"].notna()
    df["is_claim"] = df["claim_status"].map({"claim": True, "opinion": False})
    df["transcription_length"] = df["video_transcription_text"].str.len()
    df["has_complete_features"] = (
        df[["video_transcription_text", *COUNT_COLUMNS]].notna().all(axis=1)
    )
    for column in COUNT_COLUMNS:
        q1, median, q3 = df[column].quantile([0.25, 0.5, 0.75])
        threshold = median + 1.5 * (q3 - q1)
        df[f"{column}_is_outlier"] = (df[column] > threshold).where(df[column].notna())
    return df


def read_mart(db_path: Path, relation: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f"select * from {relation}").df()


def assert_frames_match(mart: pd.DataFrame, oracle: pd.DataFrame, keys: list[str]) -> None:
    """Every column of the mart equals the oracle's, row by row after sorting on `keys`."""
    assert sorted(mart.columns) == sorted(oracle.columns), "mart and oracle columns differ"
    assert len(mart) == len(oracle)
    mart = mart.sort_values(keys, na_position="last").reset_index(drop=True)
    oracle = oracle.sort_values(keys, na_position="last").reset_index(drop=True)
    for column in mart.columns:
        got, want = mart[column], oracle[column]
        if pd.api.types.is_float_dtype(want) or pd.api.types.is_float_dtype(got):
            np.testing.assert_allclose(
                got.astype("float64").to_numpy(na_value=np.nan),
                want.astype("float64").to_numpy(na_value=np.nan),
                rtol=RTOL,
                atol=0,
                equal_nan=True,
                err_msg=f"column {column}",
            )
        else:
            got_values = got.astype(object).where(got.notna(), None).tolist()
            want_values = want.astype(object).where(want.notna(), None).tolist()
            assert got_values == want_values, f"column {column} differs"


def test_videos_equals_pandas(real_warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(real_warehouse, "marts.videos")
    assert len(mart) == 19_382
    assert_frames_match(mart, export[list(mart.columns)], keys=["video_id"])


def test_claim_features_equals_pandas(real_warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(real_warehouse, "marts.claim_features")
    oracle = export[export["is_labeled"] & export["has_complete_features"]]
    assert len(mart) == 19_084
    assert_frames_match(mart, oracle[list(mart.columns)], keys=["video_id"])


def test_engagement_by_status_equals_pandas(real_warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(real_warehouse, "marts.engagement_by_status")
    measures = {
        "views": "video_view_count",
        "likes": "video_like_count",
        "shares": "video_share_count",
        "likes_per_view": "likes_per_view",
        "comments_per_view": "comments_per_view",
        "shares_per_view": "shares_per_view",
    }
    groups = export.groupby(["claim_status", "author_ban_status"], dropna=False)
    oracle = groups.size().rename("video_count").to_frame()
    for name, column in measures.items():
        oracle[f"mean_{name}"] = groups[column].mean()
        oracle[f"median_{name}"] = groups[column].median()
    oracle = oracle.reset_index()
    oracle["is_labeled"] = oracle["claim_status"].notna()
    assert len(mart) == 9
    assert_frames_match(mart, oracle, keys=["claim_status", "author_ban_status"])


def test_outlier_summary_equals_pandas(real_warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(real_warehouse, "marts.outlier_summary")
    rows = []
    for column in COUNT_COLUMNS:
        q1, median, q3 = export[column].quantile([0.25, 0.5, 0.75])
        iqr = q3 - q1
        threshold = median + 1.5 * iqr
        outliers = int((export[column] > threshold).sum())
        rows.append((column, median, q1, q3, iqr, threshold, outliers))
    oracle = pd.DataFrame(
        rows,
        columns=["column_name", "median", "q1", "q3", "iqr", "threshold", "outlier_count"],
    )
    assert_frames_match(mart, oracle, keys=["column_name"])


def test_headline_figures_of_the_original_analysis(real_warehouse: Path) -> None:
    """The numbers the notebook reported, read from the marts alone."""
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        by_status = dict(
            con.execute(
                "select coalesce(claim_status, 'unlabeled'), count(*) from marts.videos group by 1"
            ).fetchall()
        )
        median_shares = dict(
            con.execute(
                "select author_ban_status, median(video_share_count) from marts.videos group by 1"
            ).fetchall()
        )
    assert by_status == {"claim": 9_608, "opinion": 9_476, "unlabeled": 298}
    assert round(median_shares["banned"] / median_shares["active"]) == 33
