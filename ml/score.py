"""`python -m ml score`: rank every video of `marts.videos` into `ml.claim_predictions`.

The mart is streamed in Arrow record batches from a read-only connection, so memory holds one
batch of transcripts at a time plus the small result columns; the write connection opens only
after reading is done and replaces the table in one statement.

Each video gets a calibrated `claim_probability` from the champion, or, when its engagement
counts are missing (a video just posted), from the at-upload model; `predicted_is_claim` at the
cost-tuned threshold; and `needs_review` with a `review_reason` (ml/abstention.py): "unfamiliar
wording" (its opening is unlike the training transcripts'), "missing counts" or "low
confidence" (its probability falls in the review band), or "missing <column>" when it cannot
be scored at all (`unscored_reason` says which columns).

The queue is ranked over every video (`review_priority`, 1 = review first; the order is
`ml.score_write.queue_positions`'s). Labeled videos are ranked too, so the test metrics can be
re-derived from this table joined to the labels; the backlog is `split = 'unlabeled'`.

Each run also measures drift: the PSI of every feature, of the opening novelty and of the score
against the training rows goes to `ml.score_drift`, and a plain-words warning is printed when
one exceeds `config.PSI_THRESHOLD`. The champion's evaluation (confusion matrix, precision-recall
curve, calibration, capture curve, headline figures) is recomputed from the ranked predictions
into `ml.evaluation_*` in the same transaction (`ml.evaluation`).

This module runs the step; `ml.score_incremental` decides what to rescore, `ml.score_predict`
predicts the batches and `ml.score_write` ranks and writes the result.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from threadpoolctl import threadpool_limits

from ml import config, db, drift
from ml.artifacts import ModelBundle, load_bundle
from ml.errors import SchemaMismatchError
from ml.features import ID_COL, schema_differences
from ml.score_incremental import ROW_KEY, changed_filter, kept_rows, merged_rows, new_rows, plan_run
from ml.score_predict import SPLITS_RELATION, predict_batch, predict_stream, scoring_query
from ml.score_write import drift_rows, drift_table, write_predictions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoreSummary:
    """Counts and timing of one scoring run."""

    model_run_id: str
    videos: int
    scored: int
    unscored: int
    seconds: float
    flagged: int = 0
    drift_warning: str | None = None
    videos_scored: int = 0
    videos_kept: int = 0
    mode: str = "full"
    reason: str = ""

    @property
    def videos_per_second(self) -> float:
        """Throughput over the whole run (read, predict, write)."""
        return self.videos / self.seconds if self.seconds else float("inf")


def check_schema(bundle: ModelBundle, mart_types: dict[str, str], relation: str) -> None:
    """Refuse to score a mart whose feature columns differ from those the model was trained on.

    Also what makes the query safe: every column name the model file brings must already be a
    column of the mart, with the same type, before it is written into SQL.
    """
    fallback = bundle.fallback["feature_types"] if bundle.fallback else {}
    expected = {**bundle.feature_types, **fallback, ID_COL: "BIGINT", "is_labeled": "BOOLEAN"}
    differences = schema_differences(expected, mart_types)
    if differences:
        raise SchemaMismatchError(
            f"model {bundle.model_name} (run {bundle.model_run_id}) does not match {relation}: "
            f"{'; '.join(differences)}. Retrain with `python -m ml train` on this warehouse"
        )


def score(
    db_path: Path,
    model_path: Path,
    relation: str = config.VIDEOS_RELATION,
    batch_rows: int = config.SCORE_BATCH_ROWS,
    workers: int = config.SCORE_WORKERS,
    full: bool = False,
) -> ScoreSummary:
    """Score the new and changed videos of `relation` (all of them on a full run), re-rank all.

    See `plan_run` for when a run is full; the kept predictions are merged with this run's
    before the queue is ranked over every video of the mart.
    """
    started = time.perf_counter()
    parts = []
    kept = None
    with db.reading(db_path) as connection:
        db.require_relation(connection, relation, db_path)
        bundle = load_bundle(model_path)
        mart_types = db.column_types(connection, relation)
        check_schema(bundle, mart_types, relation)
        with_splits = db.relation_exists(connection, SPLITS_RELATION)
        if not with_splits:
            log.warning(
                "%s is missing: labeled videos get split 'unsplit' (train on this file first)",
                SPLITS_RELATION,
            )
        plan = plan_run(connection, bundle, relation, mart_types, full)
        where = changed_filter(relation) if plan.mode == "incremental" else None
        extra = [column for column in ROW_KEY if column in mart_types]
        query = scoring_query(bundle, relation, with_splits, extra, where)
        params = {"run_id": bundle.model_run_id} if with_splits else None
        total = connection.execute(f"select count(*) from ({query})", params).fetchall()[0][0]
        log.info("%s run: %s; %s videos to score", plan.mode, plan.reason, f"{total:,}")
        if plan.mode == "incremental":
            kept = kept_rows(connection, relation)
        newest = (
            db.fetch_row(
                connection,
                f"select max(latest_export_date) from {db.quote_relation(relation)}",
            )[0]
            if "latest_export_date" in mart_types
            else None
        )
        reader = connection.sql(query, params=params).to_arrow_reader(batch_rows)
        done, reported = 0, 0
        with threadpool_limits(limits=config.NATIVE_THREADS):
            for part in predict_stream(bundle, reader, workers):
                parts.append(part)
                done += part.num_rows
                if done == total or done * 10 // total > reported:
                    reported = done * 10 // total
                    log.info(
                        "scored %s / %s videos (%.1f s)",
                        f"{done:,}",
                        f"{total:,}",
                        time.perf_counter() - started,
                    )
    scored = pa.concat_tables(parts) if parts else predict_batch(bundle, _empty_batch(reader))
    scored_at = datetime.now(UTC)
    drifted = drift_rows(bundle, scored) if scored.num_rows else []
    rows = merged_rows(new_rows(scored, bundle, scored_at), kept)
    flagged = int(pc.sum(rows.column("needs_review")).as_py() or 0)
    kept_count = kept.num_rows if kept is not None else 0
    run = {
        "scored_at": scored_at,
        "model_run_id": bundle.model_run_id,
        "model_name": bundle.model_name,
        "relation": relation,
        "mode": plan.mode,
        "reason": plan.reason,
        "videos": rows.num_rows,
        "videos_scored": scored.num_rows,
        "videos_kept": kept_count,
        "flagged": flagged,
        "drifted_features": sum(bool(row["drifted"]) for row in drifted),
        "newest_export_date": newest,
        "seconds": time.perf_counter() - started,
    }
    write_predictions(
        db_path,
        rows,
        bundle,
        drift_table(bundle, drifted, scored_at, scored.num_rows),
        run,
        relation,
        with_queue_view="latest_export_date" in mart_types,
    )
    unscored = rows.column("claim_probability").null_count
    return ScoreSummary(
        model_run_id=bundle.model_run_id,
        videos=rows.num_rows,
        scored=rows.num_rows - unscored,
        unscored=unscored,
        seconds=time.perf_counter() - started,
        flagged=flagged,
        drift_warning=drift.warning(drifted),
        videos_scored=scored.num_rows,
        videos_kept=kept_count,
        mode=plan.mode,
        reason=plan.reason,
    )


def _empty_batch(reader: pa.RecordBatchReader) -> pa.RecordBatch:
    """A zero-row batch with the reader's columns (an empty mart still gets its table)."""
    return pa.RecordBatch.from_pylist([], schema=reader.schema)
