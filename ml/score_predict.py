"""Predicting: the query that streams the videos to score, and each batch's calibrated
probability, decision, review flag and reason, scoring model and reach (champion, else the
at-upload model for a video without counts, else unscored), on a few threads at a time."""

from __future__ import annotations

import functools
import json
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ml import abstention, config, db
from ml.artifacts import ModelBundle
from ml.features import CATEGORICAL_COLS, FEATURE_COLS, ID_COL, TEXT_COL, to_model_frame
from ml.novelty import OpeningNovelty
from ml.score_incremental import ROW_KEY

SPLITS_RELATION = f"{config.ML_SCHEMA}.video_splits"


# Read for every video besides the models' columns: reach (views, account status) and drift.
QUEUE_COLS = (TEXT_COL, "video_view_count", *CATEGORICAL_COLS)


def model_columns(bundle: ModelBundle) -> list[str]:
    """Every column the champion, the at-upload model, the queue and drift read, in order."""
    fallback = list(bundle.fallback["feature_types"]) if bundle.fallback else []
    profiled = [column for column in bundle.profile if column in FEATURE_COLS]
    wanted = [*bundle.feature_types, *fallback, *QUEUE_COLS, *profiled]
    return list(dict.fromkeys(wanted))


def scoring_query(
    bundle: ModelBundle,
    relation: str,
    with_splits: bool,
    extra: list[str] | None = None,
    where: str | None = None,
) -> str:
    """The videos to score (all, or those matching `where`) with their split and the columns
    the models, the queue and drift read, plus `extra` mart columns."""
    wanted = [*model_columns(bundle), *(extra or [])]
    quoted = ", ".join(f'v."{column}"' for column in dict.fromkeys(wanted))
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
            {quoted}
        from {db.quote_relation(relation)} as v
        {split_join}
        {f"where {where}" if where else ""}
    """


@functools.lru_cache(maxsize=8)
def _novelty_signal(bundle_key: int, novelty: str) -> OpeningNovelty:
    """The fitted novelty signal of a guard (built once per model, not per batch)."""
    return OpeningNovelty.from_dict(json.loads(novelty))


def _signal(bundle: ModelBundle) -> OpeningNovelty:
    return _novelty_signal(id(bundle), json.dumps(bundle.guard["novelty"]))


def missing_reason(rows: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """'missing a, b' naming the columns a row lacks, or None (Python only for such rows)."""
    absent = rows[columns].isna().to_numpy()
    reasons = np.full(len(rows), None, dtype=object)
    for position in np.flatnonzero(absent.any(axis=1)):
        names = [column for column, gone in zip(columns, absent[position], strict=True) if gone]
        reasons[position] = "missing " + ", ".join(names)
    return reasons


def predict_frame(bundle: ModelBundle, rows: pd.DataFrame) -> pd.DataFrame:
    """Probability, decision, review flag and reason, and who scored each row of `rows`.

    A row with every champion column is scored by the champion; else, with every at-upload
    column, by the at-upload model; else it is unscored (`unscored_reason` names what lacks).
    """
    count = len(rows)
    probability = np.full(count, np.nan)
    predicted = np.zeros(count, dtype=bool)
    needs_review = np.ones(count, dtype=bool)
    reason = np.full(count, None, dtype=object)
    scored_by = np.full(count, None, dtype=object)
    novelty = _signal(bundle).novelty(rows[TEXT_COL]) if count else np.zeros(0)
    missing_counts = rows["video_view_count"].isna().to_numpy()
    main_columns = list(bundle.feature_types)
    remaining = np.ones(count, dtype=bool)
    models = [(bundle.pipeline, main_columns, bundle.guard, bundle.model_name)]
    if bundle.fallback:
        fallback = bundle.fallback
        models.append(
            (
                fallback["pipeline"],
                list(fallback["feature_types"]),
                fallback["guard"],
                fallback["model_name"],
            )
        )
    for pipeline, columns, guard, name in models:
        usable = remaining & rows[columns].notna().all(axis=1).to_numpy()
        if not usable.any():
            continue
        part = pipeline.predict_proba(to_model_frame(rows[usable], tuple(columns)))[:, 1]
        decided = abstention.decide(part, novelty[usable], missing_counts[usable], guard)
        probability[usable] = part
        predicted[usable], needs_review[usable], reason[usable] = decided
        scored_by[usable] = name
        remaining &= ~usable
    unscored = missing_reason(rows, models[-1][1])
    unscored[~remaining] = None
    reason[remaining] = unscored[remaining]
    return pd.DataFrame(
        {
            "claim_probability": probability,
            "predicted_is_claim": np.where(remaining, None, predicted),
            "needs_review": needs_review,
            "review_reason": reason,
            "unscored_reason": unscored,
            "scored_by": scored_by,
            "opening_novelty": novelty,
            "reach": reach_of(bundle, rows),
        }
    )


def reach_of(bundle: ModelBundle, rows: pd.DataFrame) -> np.ndarray:
    """Views, or for a video without them its account's typical views in training."""
    views = rows["video_view_count"].to_numpy(dtype=float, na_value=np.nan)
    keys = rows["verified_status"].astype(str) + "|" + rows["author_ban_status"].astype(str)
    typical = keys.map(bundle.reach).fillna(bundle.reach.get("*", 0.0)).to_numpy(dtype=float)
    return np.where(np.isnan(views), typical, views)


def predict_batch(bundle: ModelBundle, batch: pa.RecordBatch) -> pa.Table:
    """Score one batch; keep the id, split, outputs and the small columns drift reads."""
    rows = batch.to_pandas()
    result = predict_frame(bundle, rows)
    drift_columns = [c for c in bundle.profile if c in rows.columns and c != TEXT_COL]
    table = pa.table(
        {
            ID_COL: pa.array(rows[ID_COL].to_numpy(), pa.int64()),
            "split": pa.array(rows["split"].astype(object), pa.string()),
            "claim_probability": pa.array(
                result["claim_probability"].to_numpy(), mask=result["claim_probability"].isna()
            ),
            "predicted_is_claim": pa.array(result["predicted_is_claim"], pa.bool_()),
            "needs_review": pa.array(result["needs_review"], pa.bool_()),
            "review_reason": pa.array(result["review_reason"], pa.string()),
            "unscored_reason": pa.array(result["unscored_reason"], pa.string()),
            "scored_by": pa.array(result["scored_by"], pa.string()),
            "opening_novelty": pa.array(result["opening_novelty"], pa.float64()),
            "reach": pa.array(result["reach"], pa.float64()),
        }
    )
    for column in drift_columns:
        values = rows[column]
        kind = bundle.profile[column]["kind"]
        array = (
            pa.array(values.to_numpy(dtype=float, na_value=np.nan), pa.float64())
            if kind == "numeric"
            else pa.array(values.astype(object), pa.string())
        )
        table = table.append_column(f"drift__{column}", array)
    every_row = pa.array(np.arange(batch.num_rows))
    for column in ROW_KEY:
        if column in batch.schema.names:
            # `take` copies: a column of the batch itself would keep the transcripts alive.
            table = table.append_column(column, pc.take(batch.column(column), every_row))
    return table


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
