"""Metrics, the champion rule, and the small tables the charts draw (curves, calibration)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)

from ml.config import PRECISION_FLOOR

SELECTION_RULE = (
    f"Highest validation recall among models with validation precision >= {PRECISION_FLOOR}; "
    "ties broken by PR-AUC (average precision), then F1; if no model reaches the floor, the "
    "most precise one"
)
CURVE_POINTS = 200
CALIBRATION_BINS = 10


def classification_metrics(
    labels: np.ndarray, probabilities: np.ndarray, threshold: float
) -> dict[str, Any]:
    """Precision, recall, F1, accuracy, ROC-AUC, PR-AUC, Brier and the confusion matrix.

    The two ranking metrics are None when the rows hold only one class.
    """
    labels = np.asarray(labels, dtype=bool)
    predicted = probabilities >= threshold
    tn, fp, fn, tp = confusion_matrix(labels, predicted, labels=[False, True]).ravel()
    both_classes = 0 < labels.sum() < len(labels)
    return {
        "rows": len(labels),
        "precision": float(precision_score(labels, predicted, zero_division=0.0)),
        "recall": float(recall_score(labels, predicted, zero_division=0.0)),
        "f1": float(f1_score(labels, predicted, zero_division=0.0)),
        "accuracy": float(accuracy_score(labels, predicted)),
        "roc_auc": float(roc_auc_score(labels, probabilities)) if both_classes else None,
        "pr_auc": float(average_precision_score(labels, probabilities)) if both_classes else None,
        "brier": float(brier_score_loss(labels, probabilities)),
        "confusion_matrix": {
            "true_negative": int(tn),
            "false_positive": int(fp),
            "false_negative": int(fn),
            "true_positive": int(tp),
        },
    }


def selection_key(metrics: Mapping[str, Any]) -> tuple[bool, float, float, float]:
    """Sort key of the champion rule (larger is better); works on CV means too."""
    meets_floor = metrics["precision"] >= PRECISION_FLOOR
    primary = metrics["recall"] if meets_floor else metrics["precision"]
    return meets_floor, primary, metrics["pr_auc"] or 0.0, metrics["f1"]


def choose_champion(validation: Mapping[str, Mapping[str, Any]]) -> str:
    """The model name the rule picks from validation metrics (first listed wins exact ties)."""
    return max(validation, key=lambda name: selection_key(validation[name]))


def precision_recall_points(labels: np.ndarray, probabilities: np.ndarray) -> pd.DataFrame:
    """The precision-recall curve thinned to at most `CURVE_POINTS` points (for charts)."""
    precision, recall, _ = precision_recall_curve(labels, probabilities)
    keep = np.unique(np.linspace(0, len(precision) - 1, CURVE_POINTS).round().astype(int))
    return pd.DataFrame({"recall": recall[keep], "precision": precision[keep]})


def calibration_points(labels: np.ndarray, probabilities: np.ndarray) -> pd.DataFrame:
    """Observed share of claims per tenth of predicted probability (as `calibration_curve`)."""
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    bins = np.searchsorted(edges[1:-1], probabilities)
    videos = np.bincount(bins, minlength=CALIBRATION_BINS)
    claims = np.bincount(bins, weights=np.asarray(labels, dtype=float), minlength=CALIBRATION_BINS)
    summed = np.bincount(bins, weights=probabilities, minlength=CALIBRATION_BINS)
    filled = videos > 0
    return pd.DataFrame(
        {
            "mean_predicted": summed[filled] / videos[filled],
            "observed_share": claims[filled] / videos[filled],
            "videos": videos[filled],
        }
    )
