"""The training data: read `marts.claim_features` read-only (checked against the contract,
sampled when large), measure the one-line shortcuts on it, and split it once 60/20/20."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.model_selection import train_test_split

from ml import config, db
from ml.errors import MlError, SchemaMismatchError
from ml.features import COLUMN_TYPES, ID_COL, LABEL_COL, TEXT_COL, schema_differences

log = logging.getLogger(__name__)


SPLITS = tuple(config.SPLIT_FRACTIONS)


MIN_VIDEOS_PER_CLASS = 10


OPENING_WORDS = (1, 2, 3)


@dataclass
class TrainingData:
    """The labeled videos (ordered by id), their labels and facts about the relation."""

    relation: str
    frame: pd.DataFrame
    labels: np.ndarray
    column_types: dict[str, str]
    fingerprint: str
    shortcuts: dict[str, Any]
    available_rows: int
    """Labeled videos in the relation; more than `len(labels)` when a sample was read."""
    sample_rows: int | None
    """The most videos training reads (None: all)."""


def measure_shortcuts(connection: Any, relation: str) -> dict[str, Any]:
    """How far two one-line rules get on this data: the views rule and the opening words."""
    table = db.quote_relation(relation)
    threshold = config.VIEWS_RULE_THRESHOLD
    rule = db.fetch_row(
        connection,
        f"""
        select
            count(*) as videos,
            avg(cast((video_view_count > {threshold}) = is_claim as double)) as accuracy,
            count_if(video_view_count > {threshold} and not is_claim) as false_claims,
            count_if(video_view_count <= {threshold} and is_claim) as missed_claims,
            median(video_view_count) filter (where is_claim) as median_views_claims,
            median(video_view_count) filter (where not is_claim) as median_views_opinions
        from {table}
        """,
    )
    openings = []
    for words in OPENING_WORDS:
        opening = (
            "array_to_string(list_slice("
            f"regexp_split_to_array(lower(trim({TEXT_COL})), '\\s+'), 1, {words}), ' ')"
        )
        row = db.fetch_row(
            connection,
            f"""
            with per_opening as (
                select
                    {opening} as opening,
                    count(*) as videos,
                    count_if(is_claim) as claims
                from {table}
                group by 1
            )

            select
                count(*),
                count_if(claims = 0 or claims = videos),
                sum(greatest(claims, videos - claims)) / sum(videos),
                arg_max(opening, videos) filter (where claims = videos),
                arg_max(opening, videos) filter (where claims = 0)
            from per_opening
            """,
        )
        openings.append(
            {
                "first_words": words,
                "openings": int(row[0]),
                "single_class_openings": int(row[1]),
                "lookup_accuracy": float(row[2]),
                "top_claim_opening": row[3],
                "top_opinion_opening": row[4],
            }
        )
    return {
        "views_rule": {
            "rule": f"video_view_count > {threshold:,} means claim",
            "videos": int(rule[0]),
            "accuracy": float(rule[1]),
            "false_claims": int(rule[2]),
            "missed_claims": int(rule[3]),
            "median_views_claims": float(rule[4]),
            "median_views_opinions": float(rule[5]),
        },
        "openings": openings,
    }


def stratified_sample(
    video_ids: np.ndarray, labels: np.ndarray, rows: int, seed: int
) -> np.ndarray:
    """`rows` of the video ids, sorted, with each class in its share of the whole (to one video)."""
    chosen, _ = train_test_split(video_ids, train_size=rows, stratify=labels, random_state=seed)
    return np.sort(chosen)


def load_training_data(
    db_path: Path,
    relation: str,
    sample_rows: int | None = config.TRAIN_SAMPLE_ROWS,
    seed: int = config.SEED,
) -> TrainingData:
    """Read the training mart read-only, refusing one whose columns differ from the contract.

    A mart with more than `sample_rows` videos is sampled, stratified on the label and fixed by
    the seed: the ids and labels of every video are read first (9 bytes a video), then the
    features of the chosen ones only, so memory follows the sample, not the mart.
    """
    with db.reading(db_path) as connection:
        db.require_relation(connection, relation, db_path)
        types = db.column_types(connection, relation)
        differences = schema_differences(COLUMN_TYPES, types)
        if differences:
            raise SchemaMismatchError(
                f"{relation} does not have the columns ml/ reads: {'; '.join(differences)} "
                "(update ml/features.py together with the contract)"
            )
        quoted = db.quote_relation(relation)
        keys = connection.execute(f"select {ID_COL}, {LABEL_COL} from {quoted}").fetchnumpy()
        available = len(keys[ID_COL])
        where = ""
        if sample_rows and available > sample_rows:
            chosen = stratified_sample(
                np.asarray(keys[ID_COL]), np.asarray(keys[LABEL_COL]), sample_rows, seed
            )
            log.info(
                "%s holds %s labeled videos: training on a stratified sample of %s",
                relation,
                f"{available:,}",
                f"{sample_rows:,}",
            )
            connection.register("training_sample", pa.table({ID_COL: chosen}))
            where = f"where {ID_COL} in (select {ID_COL} from training_sample)"
        del keys
        columns = ", ".join(f'"{column}"' for column in COLUMN_TYPES)
        frame = connection.execute(f"select {columns} from {quoted} {where} order by {ID_COL}").df()
        shortcuts = measure_shortcuts(connection, relation)
    labels = frame.pop(LABEL_COL).to_numpy(dtype=bool)
    claims = int(labels.sum())
    if min(claims, len(labels) - claims) < MIN_VIDEOS_PER_CLASS:
        raise MlError(
            f"{relation} has {claims} claims and {len(labels) - claims} opinions: training needs "
            f"at least {MIN_VIDEOS_PER_CLASS} of each"
        )
    row_hashes = pd.util.hash_pandas_object(frame.assign(**{LABEL_COL: labels}), index=False)
    return TrainingData(
        relation=relation,
        frame=frame,
        labels=labels,
        column_types=types,
        fingerprint=hashlib.sha256(row_hashes.to_numpy().tobytes()).hexdigest()[:16],
        shortcuts=shortcuts,
        available_rows=available,
        sample_rows=sample_rows,
    )


def assign_splits(labels: np.ndarray, seed: int) -> np.ndarray:
    """'train' / 'validation' / 'test' per row: one split stratified on the label.

    Fixed by the seed and the row order (the caller orders rows by video id).
    """
    fractions = config.SPLIT_FRACTIONS
    positions = np.arange(len(labels))
    train, rest = train_test_split(
        positions, train_size=fractions["train"], stratify=labels, random_state=seed
    )
    validation, test = train_test_split(
        rest,
        test_size=fractions["test"] / (fractions["validation"] + fractions["test"]),
        stratify=labels[rest],
        random_state=seed,
    )
    splits = np.empty(len(labels), dtype=object)
    for name, rows in (("train", train), ("validation", validation), ("test", test)):
        splits[rows] = name
    return splits
