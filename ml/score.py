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

Queue order (`review_priority`, 1 = review first):
1. videos flagged for review or predicted claims, then 2. predicted opinions; within each, by
expected harm = P(claim) x reach (views; for a video without counts, the median views of
training videos from accounts of the same verified and ban status), a flagged or unscored video
counting at least the even odds (P = max(p, 0.5)); ties by `video_id`;
3. one place in `config.UNCERTAIN_EVERY` from the top is reserved for the most uncertain videos
(probability nearest 0.5), so moderators' decisions teach the model the most.
Labeled videos are ranked too, so the test metrics can be re-derived from this table joined to
the labels; the backlog is `split = 'unlabeled'`.

Each run also measures drift: the PSI of every feature, of the opening novelty and of the score
against the training rows goes to `ml.score_drift`, and a plain-words warning is printed when
one exceeds `config.PSI_THRESHOLD`. The champion's evaluation (confusion matrix, precision-recall
curve, calibration, capture curve, headline figures) is recomputed from the ranked predictions
into `ml.evaluation_*` in the same transaction (`ml.evaluation`).
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from threadpoolctl import threadpool_limits

from ml import abstention, config, db, drift, evaluation, queue
from ml.artifacts import ModelBundle, load_bundle
from ml.errors import SchemaMismatchError
from ml.features import (
    CATEGORICAL_COLS,
    FEATURE_COLS,
    ID_COL,
    TEXT_COL,
    schema_differences,
    to_model_frame,
)
from ml.novelty import OpeningNovelty

log = logging.getLogger(__name__)

PREDICTIONS_TABLE = "claim_predictions"
SPLITS_RELATION = f"{config.ML_SCHEMA}.video_splits"
DRIFT_TABLE = "score_drift"
# Read for every video besides the models' columns: reach (views, account status) and drift.
QUEUE_COLS = (TEXT_COL, "video_view_count", *CATEGORICAL_COLS)


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


def queue_positions(scored: pa.Table, every: int = config.UNCERTAIN_EVERY) -> np.ndarray:
    """Each video's `review_priority` (see the module docstring), ranked with NumPy sorts."""
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


# What `ml.claim_predictions` keeps of each video besides the run's ids: enough to re-rank a kept
# row (probability, flags, reach) and to tell whether its mart row changed since it was scored.
KEPT_COLS = (
    ID_COL,
    "split",
    "claim_probability",
    "predicted_is_claim",
    "needs_review",
    "review_reason",
    "unscored_reason",
    "scoring_model",
    "reach",
    "source_file",
    "source_row_number",
    "scored_at",
)
ROW_KEY = ("source_file", "source_row_number")
RUNS_TABLE = "scoring_runs"


@dataclass(frozen=True)
class Plan:
    """Whether this run rescores every video ("full") or only new and changed ones."""

    mode: str
    reason: str


def plan_run(
    connection: Any, bundle: ModelBundle, relation: str, mart_types: dict[str, str], full: bool
) -> Plan:
    """Incremental when the last run scored this relation with this champion, else full.

    A video is then rescored when its mart row (`source_file`, `source_row_number`) is not the
    one its prediction was made from: a new video, or one a newer export re-reported.
    """
    predictions = f"{config.ML_SCHEMA}.{PREDICTIONS_TABLE}"
    runs = f"{config.ML_SCHEMA}.{RUNS_TABLE}"
    if full:
        return Plan("full", "--full asked for it")
    if not set(ROW_KEY) <= set(mart_types):
        return Plan("full", f"{relation} has no {' / '.join(ROW_KEY)} to tell changed rows")
    if not db.relation_exists(connection, runs):
        return Plan("full", "no earlier scoring run is recorded")
    last = connection.execute(
        f"select model_run_id, relation from {runs} order by scored_at desc limit 1"
    ).fetchall()
    if not last:
        return Plan("full", "no earlier scoring run is recorded")
    last_run, last_relation = last[0]
    if last_run != bundle.model_run_id:
        return Plan(
            "full", f"a new champion (run {bundle.model_run_id}; last scored by {last_run})"
        )
    if last_relation != relation:
        return Plan("full", f"the last run scored {last_relation}, not {relation}")
    kept_types = db.column_types(connection, predictions)
    if not set(KEPT_COLS) <= set(kept_types):
        return Plan("full", f"{predictions} predates incremental scoring")
    return Plan("incremental", "same champion as the last run: new and changed videos only")


def _unchanged() -> str:
    """SQL: the mart row `v` is the one its kept prediction `p` was made from."""
    return (
        f"p.{ID_COL} = v.{ID_COL} and p.source_file is not distinct from v.source_file "
        "and p.source_row_number is not distinct from v.source_row_number"
    )


def changed_filter(relation: str) -> str:
    """SQL condition on mart rows `v`: no prediction was made from this very row."""
    predictions = f"{config.ML_SCHEMA}.{PREDICTIONS_TABLE}"
    return f"not exists (select 1 from {predictions} as p where {_unchanged()})"


def kept_rows(connection: Any, relation: str) -> pa.Table:
    """The predictions still valid: made from the row each video has in the mart now."""
    columns = ", ".join(f"p.{column}" for column in KEPT_COLS)
    return connection.sql(
        f"""
        select {columns}
        from {config.ML_SCHEMA}.{PREDICTIONS_TABLE} as p
        where exists (
            select 1 from {db.quote_relation(relation)} as v where {_unchanged()}
        )
        """
    ).to_arrow_table()


def new_rows(scored: pa.Table, bundle: ModelBundle, scored_at: datetime) -> pa.Table:
    """This run's predictions in the shape of the kept ones (`KEPT_COLS`)."""
    count = scored.num_rows
    scoring_model = pc.fill_null(scored.column("scored_by"), bundle.model_name)
    columns = {
        column: scored.column(column)
        for column in KEPT_COLS
        if column not in {"scoring_model", "scored_at", *ROW_KEY}
    }
    columns["scoring_model"] = scoring_model
    for column, kind in zip(ROW_KEY, (pa.string(), pa.int64()), strict=True):
        columns[column] = (
            scored.column(column).cast(kind)
            if column in scored.column_names
            else pa.nulls(count, kind)
        )
    columns["scored_at"] = pa.array([scored_at] * count, pa.timestamp("us", tz="UTC"))
    return pa.table({column: columns[column] for column in KEPT_COLS})


def merged_rows(fresh: pa.Table, kept: pa.Table | None) -> pa.Table:
    """This run's rows and the kept ones, in one table with this run's schema."""
    if kept is None or kept.num_rows == 0:
        return fresh
    return pa.concat_tables([fresh, kept.select(list(KEPT_COLS)).cast(fresh.schema)])


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
