"""Fitting the candidates: cross-validate each one's grid on the training rows, refit the best
setting, score the splits, measure permutation importance, and choose the champion."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.inspection import permutation_importance
from sklearn.model_selection import ParameterGrid, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ml import config, evaluate
from ml.features import to_model_frame
from ml.models import Candidate, build_candidates
from ml.train_data import TrainingData

log = logging.getLogger(__name__)


CV_SCORING = {
    "precision": "precision",
    "recall": "recall",
    "pr_auc": "average_precision",
    "f1": "f1",
}


@dataclass
class SearchResult:
    """What cross-validation tried for one candidate and what it kept."""

    best_params: dict[str, Any]
    trials: list[dict[str, Any]]
    truncated: bool
    seconds: float


@dataclass
class FittedModel:
    """A candidate refitted on the training rows, with its search and its scores."""

    candidate: Candidate
    pipeline: Pipeline
    search: SearchResult
    fit_seconds: float
    probabilities: dict[str, np.ndarray] = field(default_factory=dict)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    importance: list[dict[str, Any]] = field(default_factory=list)


def search_grid(
    candidate: Candidate,
    features: pd.DataFrame,
    labels: np.ndarray,
    seed: int,
    folds: int,
    budget_seconds: float,
    fast: bool,
) -> SearchResult:
    """Cross-validate the candidate's grid on the training rows; keep the rule's best setting.

    The first setting always runs; later ones are skipped once `budget_seconds` have passed
    (recorded as `truncated`). `fast` tries the first setting only.
    """
    settings = list(ParameterGrid(candidate.grid))[: 1 if fast else None]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    started = time.perf_counter()
    trials: list[dict[str, Any]] = []
    for number, params in enumerate(settings, start=1):
        if trials and time.perf_counter() - started > budget_seconds:
            log.info(
                "  %s: time budget spent, %d setting(s) skipped",
                candidate.name,
                len(settings) - len(trials),
            )
            break
        trial_started = time.perf_counter()
        scores = cross_validate(
            clone(candidate.pipeline).set_params(**params),
            features,
            labels,
            cv=splitter,
            scoring=CV_SCORING,
        )
        means = {name: float(np.mean(scores[f"test_{name}"])) for name in CV_SCORING}
        trials.append({"params": params, **means, "seconds": time.perf_counter() - trial_started})
        log.info(
            "  %s %d/%d %s: CV recall %.4f, precision %.4f (%.1f s)",
            candidate.name,
            number,
            len(settings),
            params,
            means["recall"],
            means["precision"],
            trials[-1]["seconds"],
        )
    best = max(trials, key=evaluate.selection_key)
    return SearchResult(
        best_params=best["params"],
        trials=trials,
        truncated=len(trials) < len(settings),
        seconds=time.perf_counter() - started,
    )


def fit_candidate(
    candidate: Candidate,
    data: TrainingData,
    splits: np.ndarray,
    seed: int,
    fast: bool,
    budget_seconds: float,
) -> FittedModel:
    """Search the grid and refit the best setting, all on the training rows only."""
    train = splits == "train"
    features = to_model_frame(data.frame[train], candidate.columns)
    search = search_grid(
        candidate,
        features,
        data.labels[train],
        seed,
        folds=2 if fast else config.CV_FOLDS,
        budget_seconds=budget_seconds,
        fast=fast,
    )
    pipeline = clone(candidate.pipeline).set_params(**search.best_params)
    started = time.perf_counter()
    pipeline.fit(features, data.labels[train])
    return FittedModel(candidate, pipeline, search, fit_seconds=time.perf_counter() - started)


def score_split(model: FittedModel, data: TrainingData, splits: np.ndarray, split: str) -> None:
    """Predict one split with a fitted model and record its metrics."""
    rows = splits == split
    features = to_model_frame(data.frame[rows], model.candidate.columns)
    probabilities = model.pipeline.predict_proba(features)[:, 1]
    model.probabilities[split] = probabilities
    model.metrics[split] = evaluate.classification_metrics(
        data.labels[rows], probabilities, config.DECISION_THRESHOLD
    )


def measure_importance(
    model: FittedModel, data: TrainingData, splits: np.ndarray, seed: int
) -> None:
    """Permutation importance of each input column on the validation split (drop in PR-AUC)."""
    rows = splits == "validation"
    features = to_model_frame(data.frame[rows], model.candidate.columns)
    result = permutation_importance(
        model.pipeline,
        features,
        data.labels[rows],
        scoring="average_precision",
        n_repeats=config.PERMUTATION_REPEATS,
        random_state=seed,
    )
    model.importance = [
        {"feature": column, "importance": float(mean), "std": float(std)}
        for column, mean, std in zip(
            features.columns, result.importances_mean, result.importances_std, strict=True
        )
    ]


def fit_all(
    data: TrainingData, splits: np.ndarray, seed: int, fast: bool, budget_seconds: float
) -> tuple[dict[str, FittedModel], str]:
    """Fit every candidate, choose the champion on validation, then score the test split once."""
    models: dict[str, FittedModel] = {}
    with threadpool_limits(limits=config.NATIVE_THREADS):
        for candidate in build_candidates(seed):
            log.info("%s: cross-validating on the training rows", candidate.name)
            model = fit_candidate(candidate, data, splits, seed, fast, budget_seconds)
            for split in ("train", "validation"):
                score_split(model, data, splits, split)
            models[candidate.name] = model
        champion = evaluate.choose_champion(
            {name: model.metrics["validation"] for name, model in models.items()}
        )
        log.info("champion on validation: %s; scoring the test split once", champion)
        for model in models.values():
            score_split(model, data, splits, "test")
            measure_importance(model, data, splits, seed)
    return models, champion
