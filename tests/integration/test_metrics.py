"""The semantic layer: every metric `mf query` gives equals the marts' figure and pandas' own.

`python -m ml.metrics` (what `make metrics` runs) queries a private copy of a warehouse built
from the real export, trained (fast) and scored. pandas reads the CSV itself. Counts must match
exactly, the rest to 1e-9 relative, overall and by author ban status.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import HeldReader, RealRun, dbt_run

from ml.metrics import main as metrics_main
from ml.metrics import metrics_dir

METRICS = [
    "videos",
    "claims",
    "opinions",
    "claim_rate",
    "total_views",
    "mean_views",
    "median_views",
    "likes_per_view",
    "banned_author_share",
    "predicted_claims",
    "review_backlog",
]
COUNTS = {"videos", "claims", "opinions", "total_views", "predicted_claims", "review_backlog"}
GROUP = "video__author_ban_status"
RTOL = 1e-9


def expected_metrics(videos: pd.DataFrame, predictions: pd.DataFrame) -> dict[str, float]:
    """Each metric's definition, written with pandas on one row per video."""
    labeled = videos["claim_status"].notna()
    claims = int((videos["claim_status"] == "claim").sum())
    in_group = predictions["video_id"].isin(videos["video_id"])
    return {
        "videos": len(videos),
        "claims": claims,
        "opinions": int((videos["claim_status"] == "opinion").sum()),
        "claim_rate": claims / labeled.sum(),
        "total_views": float(videos["video_view_count"].sum()),
        "mean_views": float(videos["video_view_count"].mean()),
        "median_views": float(videos["video_view_count"].median()),
        "likes_per_view": videos["video_like_count"].sum() / videos["video_view_count"].sum(),
        "banned_author_share": float((videos["author_ban_status"] == "banned").mean()),
        "predicted_claims": int(predictions.loc[in_group, "predicted_is_claim"].sum()),
        "review_backlog": int((predictions.loc[in_group, "split"] == "unlabeled").sum()),
    }


def assert_metrics_equal(actual: pd.Series, expected: dict[str, float], where: str) -> None:
    for metric in METRICS:
        if metric in COUNTS:
            assert int(actual[metric]) == expected[metric], f"{metric} ({where})"
        else:
            assert float(actual[metric]) == pytest.approx(expected[metric], rel=RTOL), (
                f"{metric} ({where})"
            )


@pytest.fixture(scope="module")
def scored_warehouse(real_run: RealRun) -> Path:
    """The real warehouse trained and scored: the session's `real_run` (read only here: `mf`
    queries a private copy)."""
    return real_run.db_path


def mf_query(db_path: Path, out: Path, *args: str) -> pd.DataFrame:
    """`python -m ml.metrics query ...`, read back from its CSV."""
    code = metrics_main(["--db-path", str(db_path), "query", "--quiet", "--csv", str(out), *args])
    assert code == 0
    return pd.read_csv(out, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def mf_overall(scored_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.Series:
    out = tmp_path_factory.mktemp("mf") / "overall.csv"
    frame = mf_query(scored_warehouse, out, "--metrics", ",".join(METRICS))
    assert len(frame) == 1
    return frame.iloc[0]


@pytest.fixture(scope="module")
def mf_by_ban_status(
    scored_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("mf") / "by_ban_status.csv"
    frame = mf_query(scored_warehouse, out, "--metrics", ",".join(METRICS), "--group-by", GROUP)
    return frame.set_index(GROUP)


@pytest.fixture(scope="module")
def marts(scored_warehouse: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with duckdb.connect(str(scored_warehouse), read_only=True) as connection:
        videos = connection.execute("select * from marts.videos").df()
        predictions = connection.execute("select * from ml.claim_predictions").df()
    return videos, predictions


@pytest.fixture(scope="module")
def export(real_dataset: Path) -> pd.DataFrame:
    """The real export as pandas reads it (enums trimmed and lower-cased, as the loader does)."""
    frame = pd.read_csv(real_dataset)
    for column in ["claim_status", "verified_status", "author_ban_status"]:
        frame[column] = frame[column].str.strip().str.lower()
    return frame


def test_every_metric_equals_the_marts(
    mf_overall: pd.Series, marts: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    videos, predictions = marts
    assert_metrics_equal(mf_overall, expected_metrics(videos, predictions), "overall")


def test_every_metric_equals_pandas_on_the_export(
    mf_overall: pd.Series,
    mf_by_ban_status: pd.DataFrame,
    export: pd.DataFrame,
    marts: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    predictions = marts[1]  # the classifier's output has no pandas oracle: its own table
    expected = expected_metrics(export, predictions)
    assert expected["videos"] == 19_382 and expected["review_backlog"] == 298
    assert_metrics_equal(mf_overall, expected, "overall")
    assert sorted(mf_by_ban_status.index) == ["active", "banned", "under review"]
    for status, rows in export.groupby("author_ban_status"):
        expected = expected_metrics(rows, predictions)
        assert_metrics_equal(mf_by_ban_status.loc[status], expected, status)


def test_metrics_by_export_week(scored_warehouse: Path, tmp_path: Path) -> None:
    """The time dimension: every video of the (one) export falls in its export's week."""
    frame = mf_query(
        scored_warehouse,
        tmp_path / "weekly.csv",
        "--metrics",
        "videos,claim_rate",
        "--group-by",
        "metric_time__week",
    )
    with duckdb.connect(str(scored_warehouse), read_only=True) as connection:
        (week,) = connection.execute(
            "select distinct cast(date_trunc('week', first_export_date) as date) from marts.videos"
        ).fetchall()[0]
    assert len(frame) == 1
    assert pd.Timestamp(frame["metric_time__week"].iloc[0]).date() == week
    assert int(frame["videos"].iloc[0]) == 19_382


def test_a_query_goes_through_while_an_analyst_reads(
    scored_warehouse: Path, tmp_path: Path
) -> None:
    """`mf` opens its file read-write: on the published file a held session would refuse it."""
    before = scored_warehouse.stat()
    with HeldReader(scored_warehouse) as analyst:
        frame = mf_query(scored_warehouse, tmp_path / "held.csv", "--metrics", "claims")
        assert analyst.rows("select count(*) from marts.videos where is_claim") == [
            [int(frame["claims"].iloc[0])]
        ]
        analyst.close()
    after = scored_warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert list(metrics_dir(scored_warehouse).iterdir()) == [metrics_dir(scored_warehouse) / "lock"]


def test_dbt_docs_show_the_metrics(seed_warehouse: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "tiktok.duckdb"
    shutil.copyfile(seed_warehouse, db_path)
    result = dbt_run(["docs", "generate", "--static"], db_path=db_path, work_dir=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    names = {metric["name"] for metric in manifest["metrics"].values()}
    assert set(METRICS) <= names
    semantic = {model["name"] for model in manifest["semantic_models"].values()}
    assert semantic == {"videos", "claim_predictions"}
    assert "banned_author_share" in (tmp_path / "target" / "static_index.html").read_text()
