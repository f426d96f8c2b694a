"""Oracle: every mart figure built by dbt on the real export equals pandas' own computation.

Twice: built from the export as one file, and from the export split into three daily exports
where some videos appear earlier with other values (not yet labelled, lower counts) and the
last appearance of every video is its real row, loaded one export at a time.

pandas reads the CSV itself and recomputes each mart the way the original notebook did
(`read_csv`, boolean masks, `groupby().agg()`, `quantile()`), sharing no code with the SQL.
Counts must match exactly and floats to 1e-9 relative. Each test also checks that it compared
every column of its mart, so a column added to a mart without an oracle fails here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import run_warehouse

from warehouse import project

COUNT_COLUMNS = list(project.COUNT_COLUMNS)
RATIOS = {
    "likes_per_view": "video_like_count",
    "comments_per_view": "video_comment_count",
    "shares_per_view": "video_share_count",
    "downloads_per_view": "video_download_count",
}
RTOL = 1e-9


DAYS = ["2026-11-01.csv", "2026-11-02.csv", "2026-11-03.csv"]


def daily_exports(real_dataset: Path, folder: Path) -> pd.DataFrame:
    """Split the export into DAYS; return, per video, its (source_file, first, latest date).

    Day 1: rows 1-8,000, and rows 8,001-10,000 as earlier versions (unlabelled, counts
    halved). Day 2: rows 8,001-14,000, and rows 14,001-15,000 as earlier versions. Day 3: rows
    14,001-19,382, and rows 1-500 again as they are. Rows keep their own `#`.
    """
    folder.mkdir(parents=True)
    raw = pd.read_csv(real_dataset, dtype=str, keep_default_na=False)

    def earlier(rows: pd.DataFrame) -> pd.DataFrame:
        rows = rows.copy()
        rows["claim_status"] = ""
        for column in COUNT_COLUMNS:
            whole = rows[column] != ""
            rows.loc[whole, column] = (rows.loc[whole, column].astype(int) // 2).astype(str)
        return rows

    days = [
        pd.concat([raw.iloc[:8000], earlier(raw.iloc[8000:10000])]),
        pd.concat([raw.iloc[8000:14000], earlier(raw.iloc[14000:15000])]),
        pd.concat([raw.iloc[14000:], raw.iloc[:500]]),
    ]
    for name, rows in zip(DAYS, days, strict=True):
        rows.to_csv(folder / name, index=False)
    position = np.arange(len(raw))
    latest = np.select(
        [position < 500, position < 8000, position < 14000],
        [DAYS[2], DAYS[0], DAYS[1]],
        default=DAYS[2],
    )
    first = latest.copy()
    first[position < 500] = DAYS[0]
    first[(position >= 8000) & (position < 10000)] = DAYS[0]
    first[(position >= 14000) & (position < 15000)] = DAYS[1]
    return pd.DataFrame(
        {
            "video_id": raw["video_id"].astype("int64"),
            "source_file": latest,
            "first_export_date": pd.to_datetime([name[:10] for name in first]),
            "latest_export_date": pd.to_datetime([name[:10] for name in latest]),
        }
    )


@pytest.fixture(scope="module", params=["one export", "daily exports"])
def built(
    request: pytest.FixtureRequest,
    real_dataset: Path,
    real_warehouse: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, pd.DataFrame]:
    """A warehouse built from the real export, and which export each video's state is from."""
    if request.param == "one export":
        # Named without a date: the export is dated by the day it was last modified (UTC).
        modified = pd.Timestamp(datetime.fromtimestamp(real_dataset.stat().st_mtime, tz=UTC).date())
        ids = pd.read_csv(real_dataset, usecols=["video_id"])["video_id"]
        exports = pd.DataFrame(
            {
                "video_id": ids,
                "source_file": real_dataset.name,
                "first_export_date": modified,
                "latest_export_date": modified,
            }
        )
        return real_warehouse, exports
    work = tmp_path_factory.mktemp("daily_real")
    exports = daily_exports(real_dataset, work / "exports")
    db_path = work / "tiktok.duckdb"
    result = run_warehouse(db_path, exports=work / "exports")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return db_path, exports


@pytest.fixture(scope="module")
def warehouse(built: tuple[Path, pd.DataFrame]) -> Path:
    return built[0]


@pytest.fixture(scope="module")
def export(real_dataset: Path, built: tuple[Path, pd.DataFrame]) -> pd.DataFrame:
    """The real export as pandas reads it, with the analysis's derived columns."""
    df = pd.read_csv(real_dataset)
    df = df.rename(columns={"#": "source_row_number"})
    df = df.merge(built[1], on="video_id", how="left", validate="one_to_one")
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


def test_videos_equals_pandas(warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(warehouse, "marts.videos")
    assert len(mart) == 19_382
    assert_frames_match(mart, export[list(mart.columns)], keys=["video_id"])


def test_claim_features_equals_pandas(warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(warehouse, "marts.claim_features")
    # Moderators' decisions (the default file, seeds/moderator_decisions.csv): the latest per
    # video overrides or completes the export's label.
    decisions = pd.read_csv(
        Path(__file__).resolve().parents[2] / "seeds" / "moderator_decisions.csv"
    )
    latest = decisions.sort_values("decided_at").groupby("video_id")["decision"].last()
    decided = export["video_id"].map(latest)
    oracle = export.assign(
        label_source=np.where(decided.notna(), "moderator", "export"),
        is_claim=decided.map({"claim": True, "opinion": False}).where(
            decided.notna(), export["is_claim"]
        ),
    )
    oracle = oracle[(oracle["is_labeled"] | decided.notna()) & oracle["has_complete_features"]]
    assert len(mart) == len(oracle)
    assert_frames_match(mart, oracle[list(mart.columns)], keys=["video_id"])


def test_engagement_by_status_equals_pandas(warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(warehouse, "marts.engagement_by_status")
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


def test_outlier_summary_equals_pandas(warehouse: Path, export: pd.DataFrame) -> None:
    mart = read_mart(warehouse, "marts.outlier_summary")
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


def test_headline_figures_of_the_original_analysis(warehouse: Path) -> None:
    """The numbers the notebook reported, read from the marts alone."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
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
