"""The four candidate pipelines and the small grids cross-validation searches for each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from ml import features


@dataclass(frozen=True)
class Candidate:
    """One model to try: its name, what it reads, its pipeline and its hyper-parameter grid."""

    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    pipeline: Pipeline
    grid: dict[str, list[Any]]


def build_candidates(seed: int) -> list[Candidate]:
    """The baseline, two stronger models on every feature, and the at-upload model."""
    return [
        Candidate(
            name="rf_baseline",
            title="Random forest (baseline)",
            description=(
                "The original analysis's model: a random forest on duration, verified and ban "
                "status, the five engagement counts, transcript length and counts of the 15 most "
                "frequent 2-3-word phrases (English stop words removed)."
            ),
            columns=features.FEATURE_COLS,
            pipeline=Pipeline(
                [
                    ("features", features.engagement_and_phrases()),
                    (
                        "model",
                        RandomForestClassifier(
                            n_estimators=100, max_samples=0.7, random_state=seed, n_jobs=2
                        ),
                    ),
                ]
            ),
            # The corner of the original analysis's grid where its best setting lay.
            grid={"model__max_features": [0.3, 0.6], "model__min_samples_leaf": [1, 2]},
        ),
        Candidate(
            name="hist_gradient_boosting",
            title="Histogram gradient boosting",
            description="scikit-learn's HistGradientBoosting on the baseline's features.",
            columns=features.FEATURE_COLS,
            pipeline=Pipeline(
                [
                    ("features", features.engagement_and_phrases(dense=True)),
                    ("model", HistGradientBoostingClassifier(random_state=seed)),
                ]
            ),
            grid={"model__learning_rate": [0.1, 0.3], "model__max_leaf_nodes": [15, 31]},
        ),
        Candidate(
            name="tfidf_logreg",
            title="TF-IDF logistic regression",
            description=(
                "Logistic regression on TF-IDF of the transcript's words and word pairs, the "
                "scaled log engagement counts, duration and length, and the two statuses."
            ),
            columns=features.FEATURE_COLS,
            pipeline=Pipeline(
                [
                    ("features", features.text_and_engagement()),
                    ("model", LogisticRegression(max_iter=2000, random_state=seed)),
                ]
            ),
            grid={"model__C": [1.0, 10.0, 100.0]},
        ),
        Candidate(
            name="at_upload_logreg",
            title="At-upload logistic regression",
            description=(
                "Logistic regression on what exists when a video is posted: TF-IDF of the "
                "transcript, its length and the account's verified and ban status. No "
                "engagement counts, so it can triage a video before anyone has watched it."
            ),
            columns=features.AT_UPLOAD_COLS,
            pipeline=Pipeline(
                [
                    ("features", features.at_upload()),
                    ("model", LogisticRegression(max_iter=2000, random_state=seed)),
                ]
            ),
            grid={"model__C": [1.0, 10.0, 100.0]},
        ),
    ]
