"""What a scoring run writes: the review queue order (`review_priority`), the drift rows, and
`ml.claim_predictions`, `ml.score_drift`, `ml.scoring_runs` and the evaluation tables in one
write connection."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ml import abstention, config, db, drift, evaluation, queue
from ml.artifacts import ModelBundle
from ml.features import ID_COL
from ml.score_incremental import PREDICTIONS_TABLE, RUNS_TABLE

DRIFT_TABLE = "score_drift"


def queue_positions(scored: pa.Table, every: int = config.UNCERTAIN_EVERY) -> np.ndarray:
    """Each video's `review_priority` (1 = review first), ranked with NumPy sorts.

    1. videos flagged for review or predicted claims, then 2. predicted opinions; within each,
    by expected harm = P(claim) x reach (views; for a video without counts, the median views of
    training videos from accounts of the same verified and ban status), a flagged or unscored
    video counting at least the even odds (P = max(p, 0.5)); ties by `video_id`;
    3. one place in `every` from the top is reserved for the most uncertain videos (probability
    nearest 0.5), so moderators' decisions teach the model the most.
    """
    probability = scored.column("claim_probability").to_numpy(zero_copy_only=False)
    probability = np.asarray(probability, dtype=float)
    flagged = scored.column("needs_review").to_numpy(zero_copy_only=False).astype(bool)
    predicted = scored.column("predicted_is_claim").fill_null(False).to_numpy(zero_copy_only=False)
    reach = np.asarray(scored.column("reach").to_numpy(zero_copy_only=False), dtype=float)
    effective = np.where(flagged, np.fmax(probability, 0.5), probability)
    harm = abstention.expected_harm(np.nan_to_num(effective, nan=0.5), reach, reach)
    block = np.where(flagged | predicted.astype(bool), 1, 2)
    ids = scored.column(ID_COL).to_numpy()
    order = np.lexsort((ids, -harm, block))
    count = len(order)
    reserved = count // every if every > 1 else 0
    if reserved:
        uncertainty = np.abs(np.nan_to_num(probability, nan=0.0) - 0.5)
        uncertain = np.lexsort((ids, uncertainty))[:reserved]
        chosen = np.zeros(count, dtype=bool)
        chosen[uncertain] = True
        rest = order[~chosen[order]]
        slots = np.arange(1, reserved + 1) * every - 1
        merged = np.empty(count, dtype=order.dtype)
        is_slot = np.zeros(count, dtype=bool)
        is_slot[slots] = True
        merged[slots] = uncertain
        merged[~is_slot] = rest
        order = merged
    positions = np.empty(count, dtype=np.int64)
    positions[order] = np.arange(1, count + 1)
    return positions


def drift_rows(bundle: ModelBundle, scored: pa.Table) -> list[dict[str, Any]]:
    """PSI of every profiled column (features, opening novelty, score) of this run."""
    columns: dict[str, Any] = {}
    for name in bundle.profile:
        source = {"claim_probability": "claim_probability", "opening_novelty": "opening_novelty"}
        column = source.get(name, f"drift__{name}")
        if column in scored.column_names:
            values = scored.column(column)
            if name == "claim_probability":
                values = values.filter(pc.equal(scored.column("scored_by"), bundle.model_name))
            columns[name] = values.to_pandas()
    return drift.measure(bundle.profile, columns)


def drift_table(
    bundle: ModelBundle, drifted: list[dict[str, Any]], scored_at: datetime, videos: int
) -> pa.Table:
    """The run's drift rows for `ml.score_drift` (`videos`: how many this run scored)."""
    count = len(drifted)
    return pa.table(
        {
            "model_run_id": pa.array([bundle.model_run_id] * count, pa.string()),
            "scored_at": pa.array([scored_at] * count, pa.timestamp("us", tz="UTC")),
            "videos": pa.array([videos] * count, pa.int64()),
            "feature": pa.array([row["feature"] for row in drifted], pa.string()),
            "psi": pa.array([row["psi"] for row in drifted], pa.float64()),
            "threshold": pa.array([row["threshold"] for row in drifted], pa.float64()),
            "drifted": pa.array([row["drifted"] for row in drifted], pa.bool_()),
        }
    )


def write_predictions(
    db_path: Path,
    rows: pa.Table,
    bundle: ModelBundle,
    drifted: pa.Table,
    run: dict[str, Any],
    relation: str,
    with_queue_view: bool,
) -> None:
    """Replace `ml.claim_predictions` with the ranked rows; append the run and its drift rows."""
    ranked = rows.append_column("review_priority", pa.array(queue_positions(rows)))
    with db.writing(db_path, "python -m ml score") as connection:
        connection.register("ranked_rows", ranked)
        connection.execute(
            f"""
            create or replace table {config.ML_SCHEMA}.{PREDICTIONS_TABLE} as
            select
                {ID_COL},
                split,
                claim_probability,
                predicted_is_claim,
                needs_review,
                review_reason,
                review_priority,
                unscored_reason,
                scoring_model,
                reach,
                source_file,
                source_row_number,
                $run_id as model_run_id,
                $model_name as model_name,
                scored_at
            from ranked_rows
            """,
            {"run_id": bundle.model_run_id, "model_name": bundle.model_name},
        )
        connection.unregister("ranked_rows")
        if {"is_claim", "is_labeled", "video_view_count"} <= set(
            db.column_types(connection, relation)
        ):
            evaluation.write_evaluation(
                connection, relation, bundle.model_run_id, bundle.model_name
            )
        connection.execute(
            f"""
            create table if not exists {config.ML_SCHEMA}.{DRIFT_TABLE} (
                model_run_id varchar not null,
                scored_at timestamptz not null,
                videos bigint not null,
                feature varchar not null,
                psi double not null,
                threshold double not null,
                drifted boolean not null
            )
            """
        )
        db.append_rows(connection, DRIFT_TABLE, drifted)
        connection.execute(
            f"""
            create table if not exists {config.ML_SCHEMA}.{RUNS_TABLE} (
                scored_at timestamptz not null,
                model_run_id varchar not null,
                model_name varchar not null,
                relation varchar not null,
                mode varchar not null,
                reason varchar not null,
                videos bigint not null,
                videos_scored bigint not null,
                videos_kept bigint not null,
                flagged bigint not null,
                drifted_features bigint not null,
                newest_export_date date,
                seconds double not null
            )
            """
        )
        db.append_rows(connection, RUNS_TABLE, pa.Table.from_pylist([run]))
        if with_queue_view:
            connection.execute(queue.view_sql(relation))
