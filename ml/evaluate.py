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
    """The precision-recall curve thinned to at most `CURVE_POINTS` points (for charts).

    One row per kept threshold, highest first: a video is flagged when its probability reaches
    the threshold; `flagged` and `caught` count the flagged videos and the claims among them.
    The last row (no threshold, nothing flagged) is the curve's end at recall 0.
    """
    labels = np.asarray(labels, dtype=bool)
    precision, recall, thresholds = precision_recall_curve(labels, probabilities)
    # The curve runs from the lowest threshold up; at threshold t, rows with p >= t are flagged.
    order = np.sort(np.asarray(probabilities, dtype=float))
    claims = np.sort(np.asarray(probabilities, dtype=float)[labels])
    flagged = len(order) - np.searchsorted(order, thresholds, side="left")
    caught = len(claims) - np.searchsorted(claims, thresholds, side="left")
    keep = np.unique(np.linspace(0, len(precision) - 1, CURVE_POINTS).round().astype(int))
    points = pd.DataFrame(
        {
            "threshold": np.append(thresholds, np.nan)[keep],
            "recall": recall[keep],
            "precision": precision[keep],
            "flagged": np.append(flagged, 0)[keep].astype(np.int64),
            "caught": np.append(caught, 0)[keep].astype(np.int64),
        }
    )
    return points.iloc[::-1].reset_index(drop=True)


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
            "bin": np.flatnonzero(filled).astype(np.int64),
            "mean_predicted": summed[filled] / videos[filled],
            "observed_share": claims[filled] / videos[filled],
            "videos": videos[filled],
        }
    )


def confusion_cells(split: np.ndarray, labels: np.ndarray, predicted: np.ndarray) -> pd.DataFrame:
    """Videos per (split, actual, predicted) class for validation and test, zero cells included."""
    rows = []
    for name in ("test", "validation"):
        mine = np.asarray(split) == name
        matrix = (
            confusion_matrix(
                np.asarray(labels, dtype=bool)[mine],
                np.asarray(predicted, dtype=bool)[mine],
                labels=[True, False],
            )
            if mine.any()
            else np.zeros((2, 2), dtype=np.int64)
        )
        for i, actual in enumerate(("claim", "opinion")):
            for j, guess in enumerate(("claim", "opinion")):
                rows.append((name, actual, guess, int(matrix[i, j])))
    return pd.DataFrame(rows, columns=["split", "actual", "predicted", "videos"])


CAPTURE_ORDERS = ("expected harm (the queue)", "probability only")


def capture_curve(
    labels: np.ndarray,
    views: np.ndarray,
    queue_order: np.ndarray,
    probability_order: np.ndarray,
) -> pd.DataFrame:
    """Share of the claims, and of their views, found after reviewing each percent of the videos.

    `queue_order` and `probability_order` are positions (argsort results) of the rows in each
    order of `CAPTURE_ORDERS`. One row per order and percent reviewed (0 to 100); the row of a
    percent counts every video whose position falls in it. A claim without counts adds no views.
    """
    labels = np.asarray(labels, dtype=bool)
    claim_views = np.where(labels, np.nan_to_num(np.asarray(views, dtype=float)), 0.0)
    videos = len(labels)
    parts = []
    for name, order in zip(CAPTURE_ORDERS, (queue_order, probability_order), strict=True):
        position = np.arange(1, videos + 1)
        percent = np.ceil(100.0 * position / max(videos, 1)).astype(np.int64)
        caught = np.cumsum(labels[order])
        caught_views = np.cumsum(claim_views[order])
        last = np.flatnonzero(np.append(percent[1:] != percent[:-1], videos > 0))
        all_claims, all_views = labels.sum(), claim_views.sum()
        parts.append(
            pd.DataFrame(
                {
                    "ordering": name,
                    "percent_reviewed": np.concatenate([[0], percent[last]]),
                    "reviewed": np.concatenate([[0], position[last]]),
                    "caught": np.concatenate([[0], caught[last]]),
                    "caught_share": np.concatenate([[0.0], caught[last] / all_claims])
                    if all_claims
                    else np.nan,
                    "caught_views": np.concatenate([[0.0], caught_views[last]]),
                    "caught_views_share": np.concatenate([[0.0], caught_views[last] / all_views])
                    if all_views
                    else np.nan,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
