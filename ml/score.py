"""`python -m ml score`: rank every video of `marts.videos` into `ml.claim_predictions`.

The mart is streamed in Arrow record batches from a read-only connection, so memory holds one
batch of transcripts at a time plus the small result columns; the write connection opens only
after reading is done and replaces the table in one statement.

Queue order (`review_priority`, 1 = review first) follows the expected chance of a claim:
1. videos the model flags as claims, most probable first;
2. videos it cannot score (a feature it needs is missing; `unscored_reason` says which): no
   probability, but their best estimate is the base rate (about one in two here), below a flagged
   video and above a cleared one, and a human must look at them anyway;
3. videos it clears, most probable claim first.
Ties fall back to `video_id`. Labeled videos are ranked too, so the test metrics can be
re-derived from this table joined to the labels; the backlog is `split = 'unlabeled'`.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from threadpoolctl import threadpool_limits

from ml import config, warehouse
from ml.artifacts import ModelBundle, load_bundle
from ml.errors import SchemaMismatchError
from ml.features import ID_COL, schema_differences, to_model_frame

log = logging.getLogger(__name__)

PREDICTIONS_TABLE = "claim_predictions"
SPLITS_RELATION = f"{config.ML_SCHEMA}.video_splits"


@dataclass(frozen=True)
class ScoreSummary:
    """Counts and timing of one scoring run."""

    model_run_id: str
    videos: int
    scored: int
    unscored: int
    seconds: float

    @property
    def videos_per_second(self) -> float:
        """Throughput over the whole run (read, predict, write)."""
        return self.videos / self.seconds if self.seconds else float("inf")


def check_schema(bundle: ModelBundle, mart_types: dict[str, str], relation: str) -> None:
    """Refuse to score a mart whose feature columns differ from those the model was trained on.

    Also what makes the query safe: every column name the model file brings must already be a
    column of the mart, with the same type, before it is written into SQL.
    """
    expected = {**bundle.feature_types, ID_COL: "BIGINT", "is_labeled": "BOOLEAN"}
    differences = schema_differences(expected, mart_types)
    if differences:
        raise SchemaMismatchError(
            f"model {bundle.model_name} (run {bundle.model_run_id}) does not match {relation}: "
            f"{'; '.join(differences)}. Retrain with `python -m ml train` on this warehouse"
        )


def scoring_query(bundle: ModelBundle, relation: str, with_splits: bool) -> str:
    """Every video with its split, the model's columns and why it cannot be scored, if so."""
    columns = list(bundle.feature_types)
    missing = ", ".join(f"case when v.\"{c}\" is null then '{c}' end" for c in columns)
    quoted = ", ".join(f'v."{column}"' for column in columns)
    split_join = (
        f"left join {SPLITS_RELATION} as s on s.video_id = v.{ID_COL} and s.model_run_id = $run_id"
        if with_splits
        else ""
    )
    split = "s.split" if with_splits else "null"
    return f"""
        select
            v.{ID_COL},
            coalesce({split}, case when v.is_labeled then 'unsplit' else 'unlabeled' end) as split,
            nullif('missing ' || concat_ws(', ', {missing}), 'missing ') as unscored_reason,
            {quoted}
        from {warehouse.quote_relation(relation)} as v
        {split_join}
    """


def predict_batch(bundle: ModelBundle, batch: pa.RecordBatch) -> pa.Table:
    """Claim probability and flag of one batch; rows with a missing feature get nulls."""
    scorable = pc.is_null(batch.column("unscored_reason")).to_numpy(zero_copy_only=False)
    probabilities = np.full(batch.num_rows, np.nan)
    if scorable.any():
        rows = batch.filter(pa.array(scorable)).to_pandas()
        features = to_model_frame(rows, tuple(bundle.feature_types))
        probabilities[scorable] = bundle.pipeline.predict_proba(features)[:, 1]
    probability = pa.array(probabilities, mask=~scorable)
    # Copied out: a column of a batch from DuckDB keeps the whole batch, transcripts included,
    # alive. Kept by reference, scoring 10M videos peaked at 3.3 GB instead of 2.1 GB.
    kept = batch.select([ID_COL, "split", "unscored_reason"]).copy_to(
        pa.default_cpu_memory_manager()
    )
    return pa.table(
        {
            ID_COL: kept.column(ID_COL),
            "split": kept.column("split"),
            "claim_probability": probability,
            "predicted_is_claim": pc.greater_equal(probability, bundle.threshold),
            "unscored_reason": kept.column("unscored_reason"),
        }
    )


def predict_stream(
    bundle: ModelBundle, reader: pa.RecordBatchReader, workers: int
) -> Iterator[pa.Table]:
    """Predict batches on `workers` threads, in order, with at most `workers + 1` in flight.

    Arrow, NumPy and SciPy release the GIL in the heavy steps, so two threads nearly double the
    throughput on two cores; the bound keeps memory at a few batches whatever the mart's size.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[pa.Table]] = deque()
        for batch in reader:
            pending.append(pool.submit(predict_batch, bundle, batch))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def queue_positions(scored: pa.Table) -> np.ndarray:
    """Each video's `review_priority` (see the module docstring), ranked with one NumPy sort.

    At 1M videos, sorting here and writing the ranked rows took 0.35 s against 0.80 s for a
    SQL `row_number()` window in the writing statement.
    """
    probability = scored.column("claim_probability").to_numpy(zero_copy_only=False)
    flagged = scored.column("predicted_is_claim").fill_null(False).to_numpy(zero_copy_only=False)
    block = np.where(flagged, 1, np.where(np.isnan(probability), 2, 3))
    order = np.lexsort(
        (scored.column(ID_COL).to_numpy(), -np.nan_to_num(probability, nan=0.0), block)
    )
    positions = np.empty(len(order), dtype=np.int64)
    positions[order] = np.arange(1, len(order) + 1)
    return positions


def write_predictions(db_path: Path, scored: pa.Table, bundle: ModelBundle) -> None:
    """Replace `ml.claim_predictions` with the scored rows and their place in the queue."""
    ranked = scored.append_column("review_priority", pa.array(queue_positions(scored)))
    with warehouse.writing(db_path, "python -m ml score") as connection:
        connection.register("ranked_rows", ranked)
        connection.execute(
            f"""
            create or replace table {config.ML_SCHEMA}.{PREDICTIONS_TABLE} as
            select
                {ID_COL},
                split,
                claim_probability,
                predicted_is_claim,
                review_priority,
                unscored_reason,
                $run_id as model_run_id,
                $model_name as model_name,
                $scored_at as scored_at
            from ranked_rows
            """,
            {
                "run_id": bundle.model_run_id,
                "model_name": bundle.model_name,
                "scored_at": datetime.now(UTC),
            },
        )
        connection.unregister("ranked_rows")


def score(
    db_path: Path,
    model_path: Path,
    relation: str = config.VIDEOS_RELATION,
    batch_rows: int = config.SCORE_BATCH_ROWS,
    workers: int = config.SCORE_WORKERS,
) -> ScoreSummary:
    """Score every video of `relation` with the model at `model_path`."""
    started = time.perf_counter()
    parts = []
    with warehouse.reading(db_path) as connection:
        warehouse.require_relation(connection, relation, db_path)
        bundle = load_bundle(model_path)
        check_schema(bundle, warehouse.column_types(connection, relation), relation)
        with_splits = warehouse.relation_exists(connection, SPLITS_RELATION)
        if not with_splits:
            log.warning(
                "%s is missing: labeled videos get split 'unsplit' (train on this file first)",
                SPLITS_RELATION,
            )
        total = warehouse.fetch_row(
            connection, f"select count(*) from {warehouse.quote_relation(relation)}"
        )[0]
        reader = connection.sql(
            scoring_query(bundle, relation, with_splits),
            params={"run_id": bundle.model_run_id} if with_splits else None,
        ).to_arrow_reader(batch_rows)
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
    write_predictions(db_path, scored, bundle)
    unscored = scored.column("claim_probability").null_count
    return ScoreSummary(
        model_run_id=bundle.model_run_id,
        videos=scored.num_rows,
        scored=scored.num_rows - unscored,
        unscored=unscored,
        seconds=time.perf_counter() - started,
    )


def _empty_batch(reader: pa.RecordBatchReader) -> pa.RecordBatch:
    """A zero-row batch with the reader's columns (an empty mart still gets its table)."""
    return pa.RecordBatch.from_pylist([], schema=reader.schema)
