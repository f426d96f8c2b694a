"""Scoring on the tiny warehouse: every video ranked, none dropped, mismatches refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import TinyRun, tiny_videos, write_tiny_warehouse

from ml import config
from ml.artifacts import load_bundle
from ml.errors import SchemaMismatchError
from ml.score import score


def predictions(db_path: Path) -> pd.DataFrame:
    """`ml.claim_predictions` joined to the mart's labels and features."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(
            """
            select p.*, v.is_labeled, v.is_claim, v.video_transcription_text,
                v.video_view_count
            from ml.claim_predictions as p
            inner join marts.videos as v using (video_id)
            order by p.review_priority
            """
        ).df()


def test_every_video_is_ranked_once(tiny_run: TinyRun) -> None:
    """One row per video of the mart; priorities are 1..N with no gap."""
    ranked = predictions(tiny_run.db_path)
    assert len(ranked) == len(tiny_videos())
    assert ranked["video_id"].is_unique
    assert list(ranked["review_priority"]) == list(range(1, len(ranked) + 1))
    assert tiny_run.scoring.videos == len(ranked)


def test_unlabeled_and_incomplete_videos_are_kept(tiny_run: TinyRun) -> None:
    """Videos missing a feature the at-upload model reads get no probability and a reason
    naming the columns; the others are scored (without counts, by the at-upload model)."""
    ranked = predictions(tiny_run.db_path).set_index("video_id")
    bundle = load_bundle(tiny_run.model_path)
    needed = list((bundle.fallback or {}).get("feature_types") or bundle.feature_types)
    videos = tiny_videos().set_index("video_id")
    videos["transcription_length"] = videos["video_transcription_text"].str.len()
    missing = videos[needed].isna()
    unscored = ranked["claim_probability"].isna()
    assert (unscored == missing.any(axis=1).reindex(ranked.index)).all()
    assert unscored.any()
    for video_id in ranked.index[unscored]:
        reason = ranked.loc[video_id, "unscored_reason"]
        assert reason == "missing " + ", ".join(missing.columns[missing.loc[video_id]])
        assert pd.isna(ranked.loc[video_id, "predicted_is_claim"])
        assert ranked.loc[video_id, "needs_review"]
        assert ranked.loc[video_id, "review_reason"] == reason
    no_counts = videos["video_view_count"].isna().reindex(ranked.index) & ~unscored
    assert no_counts.any()
    assert (ranked.loc[no_counts, "scoring_model"] == "at_upload_logreg").all()
    assert ranked.loc[~unscored, "unscored_reason"].isna().all()
    unlabeled = ranked[~ranked["is_labeled"]]
    assert (unlabeled["split"] == "unlabeled").all()
    assert unlabeled["claim_probability"].notna().any(), "complete unlabeled videos are scored"


def test_queue_order_review_and_claims_then_opinions_with_uncertain_reserve(
    tiny_run: TinyRun,
) -> None:
    """Flagged videos and predicted claims, then predicted opinions, each by expected harm;
    every 20th place holds the most uncertain videos."""
    ranked = predictions(tiny_run.db_path)
    reserved = ranked["review_priority"] % config.UNCERTAIN_EVERY == 0
    uncertainty = (ranked["claim_probability"].fillna(0.0) - 0.5).abs()
    assert reserved.sum() == len(ranked) // config.UNCERTAIN_EVERY
    assert uncertainty[reserved].max() <= uncertainty[~reserved].min()
    rest = ranked[~reserved]
    first = rest["needs_review"].astype(bool) | rest["predicted_is_claim"].fillna(False).astype(
        bool
    )
    block = (~first).astype(int)
    assert block.is_monotonic_increasing
    assert rest["needs_review"].any()
    flagged = rest[rest["needs_review"]]
    effective = flagged["claim_probability"].fillna(0.5).clip(lower=0.5)
    assert effective.iloc[0] >= effective.iloc[-1]


def test_labeled_videos_outside_the_training_mart_are_unsplit(tiny_run: TinyRun) -> None:
    """A labeled video with a missing feature was never split: it is marked 'unsplit'."""
    ranked = predictions(tiny_run.db_path).set_index("video_id")
    assert ranked.loc[[2_000_000_004, 2_000_000_005], "split"].tolist() == ["unsplit"] * 2
    assert set(ranked["split"]) == {"train", "validation", "test", "unlabeled", "unsplit"}


def test_test_metrics_can_be_recomputed_from_the_table(tiny_run: TinyRun) -> None:
    """The guarded champion's test figures in metrics.json are the table's, joined to labels."""
    ranked = predictions(tiny_run.db_path)
    test = ranked[ranked["split"] == "test"]
    kept = test[~test["needs_review"]]
    measured = tiny_run.training.metrics["abstention"]["settings"]["with counts"]["test"]
    assert measured["flagged_share"] == pytest.approx(test["needs_review"].mean())
    buried = int((kept["is_claim"] & ~kept["predicted_is_claim"].astype(bool)).sum())
    assert measured["claims_buried"] == buried


def test_refuses_a_mart_whose_feature_types_changed(tiny_run: TinyRun, tmp_path: Path) -> None:
    """A mart whose columns differ from the model's is refused, naming the column and types."""
    db_path = tmp_path / "changed.duckdb"
    write_tiny_warehouse(db_path, tiny_videos(), view_type="double")
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("alter table marts.videos drop column verified_status")
        connection.execute("alter table marts.videos alter transcription_length type bigint")
    with pytest.raises(SchemaMismatchError) as raised:
        score(db_path, tiny_run.model_path)
    message = str(raised.value)
    assert "verified_status is missing (expected VARCHAR)" in message
    assert "transcription_length is BIGINT, expected INTEGER" in message


def test_scoring_another_warehouse_marks_labeled_videos_unsplit(
    tiny_run: TinyRun, tiny_warehouse: Path, tmp_path: Path
) -> None:
    """Without the run's split in the file, labeled videos are 'unsplit', not dropped."""
    db_path = tmp_path / "other.duckdb"
    shutil.copyfile(tiny_warehouse, db_path)
    summary = score(db_path, tiny_run.model_path, batch_rows=64, workers=1)
    ranked = predictions(db_path)
    assert summary.videos == len(ranked) == len(tiny_videos())
    assert set(ranked["split"]) == {"unlabeled", "unsplit"}


def test_small_batches_and_threads_give_the_same_table(tiny_run: TinyRun, tmp_path: Path) -> None:
    """Batch size and worker count change nothing in the result."""
    db_path = tmp_path / "again.duckdb"
    shutil.copyfile(tiny_run.db_path, db_path)
    summary = score(db_path, tiny_run.model_path, batch_rows=16, workers=3, full=True)
    assert (summary.mode, summary.videos_scored, summary.videos_kept) == (
        "full",
        len(tiny_videos()),
        0,
    )
    columns = ["video_id", "split", "claim_probability", "predicted_is_claim", "review_priority"]
    again = predictions(db_path)[columns]
    first = predictions(tiny_run.db_path)[columns]
    pd.testing.assert_frame_equal(again, first)
    assert config.SCORE_WORKERS >= 1


def test_training_on_a_sample_leaves_the_rest_unsplit(tiny_warehouse: Path, tmp_path: Path) -> None:
    """`--sample-rows`: training reads a stratified sample, records it, and scoring marks the
    labeled videos left out as `unsplit`."""
    from ml.train import train

    db_path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_warehouse, db_path)
    result = train(db_path, tmp_path / "artifacts", fast=True, sample_rows=160)
    data = result.metrics["data"]
    complete = tiny_videos().pipe(lambda v: v[v["claim_status"].notna()]).dropna()
    assert (data["rows"], data["available_rows"], data["sample_rows"]) == (160, len(complete), 160)
    assert data["claims"] == 80, "the tiny mart is half claims; so is its sample"
    assert "stratified sample" in (tmp_path / "artifacts" / config.MODEL_CARD_FILE).read_text()
    score(db_path, tmp_path / "artifacts" / config.MODEL_FILE)
    ranked = predictions(db_path).set_index("video_id")
    with duckdb.connect(str(db_path), read_only=True) as connection:
        sampled = set(
            connection.execute(
                "select video_id from ml.video_splits where model_run_id = ?", [result.run_id]
            ).df()["video_id"]
        )
    assert len(sampled) == 160 and sampled <= set(complete["video_id"])
    left_out = set(complete["video_id"]) - sampled
    assert (ranked.loc[sorted(left_out), "split"] == "unsplit").all()
    assert ranked.loc[sorted(sampled), "split"].isin(["train", "validation", "test"]).all()


def test_predictions_hold_no_memory_of_the_batch(tiny_run: TinyRun) -> None:
    """A batch from DuckDB stays alive as long as any of its columns does; the predictions keep
    none, so scoring holds a few small columns per video, never the transcripts."""
    from ml.score_predict import SPLITS_RELATION, predict_batch, scoring_query

    bundle = load_bundle(tiny_run.model_path)
    with duckdb.connect(str(tiny_run.db_path), read_only=True) as connection:
        assert connection.execute(f"select count(*) from {SPLITS_RELATION}").fetchall()[0][0] > 0
        batch = next(
            connection.sql(
                scoring_query(
                    bundle,
                    config.VIDEOS_RELATION,
                    with_splits=True,
                    extra=["source_file", "source_row_number"],
                ),
                params={"run_id": bundle.model_run_id},
            ).to_arrow_reader(64)
        )
        predicted = predict_batch(bundle, batch)
    assert {"source_file", "source_row_number"} <= set(predicted.column_names)
    spans = [
        (buffer.address, buffer.address + buffer.size)
        for column in batch.columns
        for buffer in column.buffers()
        if buffer is not None
    ]
    for column in predicted.columns:
        for chunk in column.chunks:
            for buffer in chunk.buffers():
                if buffer is not None:
                    assert not any(start <= buffer.address < end for start, end in spans)
