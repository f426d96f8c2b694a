"""The columns the models read, mirroring `marts.claim_features`' contract, and their transformers.

`COLUMN_TYPES` restates the contract's types for the columns `ml/` uses (see
`models/marts/_marts__models.yml`); `train` refuses a mart whose types differ, and a saved model
carries the types it was trained on so `score` can refuse a mart that no longer matches. The
per-view ratios of the contract are not features: they are undefined for videos without views and
add nothing a tree cannot get from the counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from ml.text import PhraseCounter
from warehouse.project import COUNT_COLUMNS

ID_COL = "video_id"
LABEL_COL = "is_claim"
TEXT_COL = "video_transcription_text"
CATEGORICAL_COLS = ("verified_status", "author_ban_status")
COUNT_COLS = COUNT_COLUMNS
NUMERIC_COLS = ("video_duration_sec", *COUNT_COLS, "transcription_length")
FEATURE_COLS = (TEXT_COL, *CATEGORICAL_COLS, *NUMERIC_COLS)
# What is known when a video is uploaded: its transcript and its account, no engagement yet.
AT_UPLOAD_COLS = (TEXT_COL, *CATEGORICAL_COLS, "transcription_length")

COLUMN_TYPES = {
    ID_COL: "BIGINT",
    TEXT_COL: "VARCHAR",
    "verified_status": "VARCHAR",
    "author_ban_status": "VARCHAR",
    "video_duration_sec": "INTEGER",
    "transcription_length": "INTEGER",
    **dict.fromkeys(COUNT_COLS, "BIGINT"),
    LABEL_COL: "BOOLEAN",
}


def schema_differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Human-readable differences between expected and actual column types."""
    differences = []
    for column, expected_type in expected.items():
        actual_type = actual.get(column)
        if actual_type is None:
            differences.append(f"{column} is missing (expected {expected_type})")
        elif actual_type.upper() != expected_type.upper():
            differences.append(f"{column} is {actual_type}, expected {expected_type}")
    return differences


def to_model_frame(frame: pd.DataFrame, columns: tuple[str, ...] = FEATURE_COLS) -> pd.DataFrame:
    """The feature columns as scikit-learn wants them: numbers as float64, text as strings."""
    return frame.loc[:, list(columns)].astype(
        {column: "float64" for column in columns if column in NUMERIC_COLS}
    )


def phrase_counts(ngram_range: tuple[int, int], max_features: int) -> PhraseCounter:
    """Counts of the most frequent phrases, English stop words removed (the original analysis)."""
    return PhraseCounter(
        ngram_range=ngram_range,
        max_features=max_features,
        stop_words=tuple(sorted(ENGLISH_STOP_WORDS)),
    )


def tfidf() -> Pipeline:
    """TF-IDF of the transcript's words and word pairs seen in at least two training videos."""
    return make_pipeline(
        PhraseCounter(ngram_range=(1, 2), min_df=2), TfidfTransformer(sublinear_tf=True)
    )


def as_csr(values: Any) -> sp.csr_matrix:
    """A CSR matrix of `values`: when every block of a ColumnTransformer is CSR, SciPy stacks
    them without converting to COO (a second saved per million videos when scoring)."""
    return sp.csr_matrix(values)


def scaled_log() -> Pipeline:
    """log(1 + x), then standardised (counts span six orders of magnitude), as a CSR block."""
    return make_pipeline(
        FunctionTransformer(np.log1p, feature_names_out="one-to-one"),
        StandardScaler(),
        FunctionTransformer(as_csr, feature_names_out="one-to-one", accept_sparse=True),
    )


def one_hot(dense: bool = False) -> OneHotEncoder:
    """One column per category; a category unseen in training becomes all zeros."""
    return OneHotEncoder(handle_unknown="ignore", sparse_output=not dense)


def engagement_and_phrases(dense: bool = False) -> ColumnTransformer:
    """The original analysis's features: duration, statuses, five counts, length, top phrases."""
    return ColumnTransformer(
        [
            ("numeric", "passthrough", list(NUMERIC_COLS)),
            ("status", one_hot(dense), list(CATEGORICAL_COLS)),
            ("phrases", phrase_counts((2, 3), max_features=15), TEXT_COL),
        ],
        sparse_threshold=0.0 if dense else 0.3,
    )


def text_and_engagement() -> ColumnTransformer:
    """TF-IDF of the transcript, scaled log counts and the statuses."""
    return ColumnTransformer(
        [
            ("text", tfidf(), TEXT_COL),
            ("numeric", scaled_log(), list(NUMERIC_COLS)),
            ("status", one_hot(), list(CATEGORICAL_COLS)),
        ]
    )


def at_upload() -> ColumnTransformer:
    """What exists at upload: TF-IDF of the transcript, its length and the account's statuses."""
    return ColumnTransformer(
        [
            ("text", tfidf(), TEXT_COL),
            ("length", scaled_log(), ["transcription_length"]),
            ("status", one_hot(), list(CATEGORICAL_COLS)),
        ]
    )
