"""Daily scoring: after each day's build, `score` scores only that export's new and changed videos.

Three synthetic daily exports (synthetic: re-reports with grown counts, late labels, bans)
are loaded one a day by `python -m warehouse`; the classifier is trained on the first two days.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import REPO_ROOT, run_warehouse

from ml import config
from ml.score import score
from ml.train import train
from synthetic.daily_exports import write_days

DAYS = ("2026-11-01", "2026-11-02", "2026-11-03")


def build(db_path: Path, exports: Path) -> None:
    result = run_warehouse(db_path, exports=exports)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def read(db_path: Path, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql, params or []).df()


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path]]:
    """Two days built, trained and scored; the third day's file written aside."""
    work = tmp_path_factory.mktemp("daily_scoring")
    made = write_days(work / "made", days=3, rows_per_day=600, seed=11)
    exports = work / "exports"
    exports.mkdir()
    db_path = work / "daily.duckdb"
    for path in made[:2]:
        shutil.copy2(path, exports / path.name)
        build(db_path, exports)
    train(db_path, work / "artifacts", fast=True)
    return db_path, exports, made


def test_scoring_follows_the_daily_exports(
    days: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    db_path, exports, made = days
    model = db_path.parent / "artifacts" / config.MODEL_FILE
    first = score(db_path, model)
    videos = len(read(db_path, "select video_id from marts.videos"))
    assert (first.mode, first.videos_scored, first.videos_kept) == ("full", videos, 0)

    # No new export: nothing is scored and the table is the same.
    before = read(db_path, "select * from ml.claim_predictions order by video_id")
    again = score(db_path, model)
    assert (again.mode, again.videos_scored, again.videos_kept) == ("incremental", 0, videos)
    pd.testing.assert_frame_equal(
        read(db_path, "select * from ml.claim_predictions order by video_id"), before
    )

    # The third export: its new videos and the ones it re-reports are scored, nothing else.
    shutil.copy2(made[2], exports / made[2].name)
    build(db_path, exports)
    mart = read(
        db_path,
        "select video_id, source_file, cast(latest_export_date as varchar) as export_date "
        "from marts.videos",
    )
    third = mart[mart["export_date"] == DAYS[2]]
    rereported = set(third["video_id"]) & set(before["video_id"])
    new = set(third["video_id"]) - set(before["video_id"])
    assert rereported and new, "the synthetic third day re-reports videos and adds new ones"
    daily = score(db_path, model)
    assert daily.mode == "incremental"
    assert daily.videos_scored == len(third) == len(rereported) + len(new)
    assert daily.videos_kept == len(mart) - len(third)
    after = read(db_path, "select * from ml.claim_predictions order by video_id")
    assert sorted(after["review_priority"]) == list(range(1, len(mart) + 1))
    rescored = after[after["scored_at"] > before["scored_at"].max()]
    assert set(rescored["video_id"]) == set(third["video_id"])
    assert set(rescored["source_file"]) == {made[2].name}

    # Today's queue: the third export's videos in review order, as a view and on the CLI.
    queue = read(db_path, "select * from ml.todays_queue order by queue_position")
    assert set(queue["video_id"]) == set(third["video_id"])
    assert queue["review_priority"].is_monotonic_increasing
    written = tmp_path / "queue.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ml",
            "queue",
            "--db-path",
            str(db_path),
            "--export",
            DAYS[2],
            "--output",
            str(written),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert list(pd.read_csv(written)["video_id"]) == list(queue["video_id"])
    missing = subprocess.run(
        [sys.executable, "-m", "ml", "queue", "--db-path", str(db_path), "--export", "2026-10-01"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().startswith("error: no video of marts.videos")

    # The runs, their counts and the drift measured on each run's scored videos.
    runs = read(db_path, "select * from ml.scoring_runs order by scored_at")
    assert list(runs["videos_scored"]) == [videos, 0, len(third)]
    assert list(runs["videos_kept"]) == [0, videos, len(mart) - len(third)]
    assert str(runs["newest_export_date"].iloc[-1])[:10] == DAYS[2]
    drift = read(db_path, "select scored_at, min(videos) as videos from ml.score_drift group by 1")
    assert sorted(drift["videos"]) == sorted([videos, len(third)])

    # A new champion scores everything again.
    train(db_path, db_path.parent / "artifacts", fast=True, seed=5)
    retrained = score(db_path, model)
    assert (retrained.mode, retrained.videos_scored, retrained.videos_kept) == (
        "full",
        len(mart),
        0,
    )
