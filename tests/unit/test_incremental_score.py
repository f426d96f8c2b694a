"""Incremental scoring on the tiny warehouse: only new and changed videos are scored again.

A video's prediction is kept while its mart row (`source_file`, `source_row_number`) is the one
it was made from; a new export that re-reports it, or a new champion, scores it again. The
mart is edited in place here the way a new export changes it (the daily build itself is
exercised in tests/integration/test_daily_scoring.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import TinyRun, tiny_videos

from ml.score import score

RANKED = [
    "video_id",
    "split",
    "claim_probability",
    "predicted_is_claim",
    "needs_review",
    "review_reason",
    "review_priority",
    "unscored_reason",
    "reach",
    "source_file",
    "source_row_number",
    "model_run_id",
]
REREPORTED = [1_000_000_010, 1_000_000_011, 1_000_000_012, 1_000_000_013, 2_000_000_003]
NEW_VIDEO = 3_000_000_001


def table(db_path: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).df()


def predictions(db_path: Path) -> pd.DataFrame:
    return table(db_path, "select * from ml.claim_predictions order by video_id")


def deliver_next_export(db_path: Path) -> None:
    """What a build of a 2026-11-02 export does to the mart: five videos re-reported with
    three times the counts, one new video (an opinion copied under a new id)."""
    ids = ", ".join(str(video_id) for video_id in REREPORTED)
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(
            f"""
            update marts.videos set
                source_file = '2026-11-02.csv',
                source_row_number = video_id % 100,
                video_view_count = video_view_count * 3,
                video_like_count = video_like_count * 3,
                latest_export_date = date '2026-11-02'
            where video_id in ({ids})
            """
        )
        connection.execute(
            f"""
            insert into marts.videos
            select * replace (
                {NEW_VIDEO} as video_id,
                '2026-11-02.csv' as source_file,
                99 as source_row_number,
                date '2026-11-02' as first_export_date,
                date '2026-11-02' as latest_export_date
            )
            from marts.videos where video_id = 1_000_000_001
            """
        )


@pytest.fixture
def scored_copy(tiny_run: TinyRun, tmp_path: Path) -> Path:
    db_path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_run.db_path, db_path)
    return db_path


def test_a_second_run_without_a_new_export_scores_nothing(
    tiny_run: TinyRun, scored_copy: Path
) -> None:
    before = predictions(scored_copy)
    summary = score(scored_copy, tiny_run.model_path)
    assert (summary.mode, summary.videos_scored, summary.videos_kept) == (
        "incremental",
        0,
        len(tiny_videos()),
    )
    pd.testing.assert_frame_equal(predictions(scored_copy), before)
    runs = table(scored_copy, "select * from ml.scoring_runs order by scored_at")
    assert list(runs["videos_scored"]) == [len(tiny_videos()), 0]
    assert list(runs["videos_kept"]) == [0, len(tiny_videos())]
    assert list(runs["mode"]) == ["full", "incremental"]
    drift_runs = table(scored_copy, "select distinct scored_at from ml.score_drift")
    assert len(drift_runs) == 1, "a run that scores nothing measures no drift"


def test_a_new_export_rescores_only_its_new_and_changed_videos(
    tiny_run: TinyRun, scored_copy: Path, tmp_path: Path
) -> None:
    before = predictions(scored_copy).set_index("video_id")
    deliver_next_export(scored_copy)
    summary = score(scored_copy, tiny_run.model_path)
    changed = {*REREPORTED, NEW_VIDEO}
    assert (summary.mode, summary.videos_scored, summary.videos_kept) == (
        "incremental",
        len(changed),
        len(tiny_videos()) - len(REREPORTED),
    )
    after = predictions(scored_copy).set_index("video_id")
    assert list(after["review_priority"].sort_values()) == list(range(1, len(after) + 1))
    rescored = set(after.index[after["scored_at"] > before["scored_at"].max()])
    assert rescored == changed
    kept = sorted(set(before.index) - changed)
    pd.testing.assert_series_equal(
        after.loc[kept, "claim_probability"], before.loc[kept, "claim_probability"]
    )
    # Three times the views of a kept probability: the re-reported videos' reach grew.
    assert (after.loc[REREPORTED[:4], "reach"] == 3 * before.loc[REREPORTED[:4], "reach"]).all()
    assert after.loc[NEW_VIDEO, "source_file"] == "2026-11-02.csv"

    # Merging kept and new scores gives exactly the table a full rescore gives.
    full_copy = tmp_path / "full.duckdb"
    shutil.copyfile(scored_copy, full_copy)
    full = score(full_copy, tiny_run.model_path, full=True)
    assert (full.mode, full.videos_scored) == ("full", len(after))
    pd.testing.assert_frame_equal(
        predictions(full_copy)[RANKED], predictions(scored_copy)[RANKED], check_exact=False
    )

    # Drift is measured on what this run scored: six videos.
    last = table(
        scored_copy,
        "select videos from ml.score_drift where scored_at = (select max(scored_at) "
        "from ml.score_drift)",
    )
    assert set(last["videos"]) == {len(changed)}

    # Today's queue: the 2026-11-02 export's six videos, in review order.
    queue = table(scored_copy, "select * from ml.todays_queue order by queue_position")
    assert set(queue["video_id"]) == changed
    assert list(queue["queue_position"]) == list(range(1, len(changed) + 1))
    assert queue["review_priority"].is_monotonic_increasing
    assert list(queue["review_priority"]) == sorted(after.loc[sorted(changed), "review_priority"])


def test_a_new_champion_rescores_everything(tiny_run: TinyRun, scored_copy: Path) -> None:
    from ml.train import train

    deliver_next_export(scored_copy)
    training = train(scored_copy, scored_copy.parent / "artifacts", fast=True, seed=7)
    summary = score(scored_copy, scored_copy.parent / "artifacts" / "champion.skops")
    assert summary.mode == "full" and "new champion" in summary.reason
    assert (summary.videos_scored, summary.videos_kept) == (len(tiny_videos()) + 1, 0)
    assert set(predictions(scored_copy)["model_run_id"]) == {training.run_id}
