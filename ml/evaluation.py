"""The `ml.evaluation_*` tables: the champion's evaluation, computed once from its predictions.

`python -m ml score` writes them in the same transaction as `ml.claim_predictions`, from the
predictions it has just ranked joined to the labels of the mart it scored, so the report draws
them with plain selects (and an analyst can `select` every number it shows):

- `ml.evaluation_confusion`: videos per split (validation, test), actual and predicted class;
- `ml.evaluation_precision_recall`: the test split's precision-recall curve (`ml.evaluate`);
- `ml.evaluation_calibration`: observed share of claims per tenth of predicted probability;
- `ml.evaluation_capture`: claims and their views found per percent of the test queue reviewed,
  in the queue's order and by probability alone;
- `ml.evaluation_summary`: one row of headline figures (test confusion counts, Brier score,
  claims found in the first N of the queue, the queue's and the backlog's sizes).

Every row carries the `model_run_id` of the scoring model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.metrics import brier_score_loss

from ml import config, db, evaluate

EVALUATED_SPLIT = "test"
TABLES = (
    "evaluation_confusion",
    "evaluation_precision_recall",
    "evaluation_calibration",
    "evaluation_capture",
    "evaluation_summary",
)


def labeled_predictions(connection: Any, relation: str) -> pd.DataFrame:
    """The scored predictions of labeled videos with their label and views, by video id."""
    predictions = db.quote_relation(f"{config.ML_SCHEMA}.claim_predictions")
    frame = connection.execute(
        f"""
        select
            predictions.video_id,
            predictions.split,
            predictions.review_priority,
            predictions.claim_probability,
            predictions.predicted_is_claim,
            videos.is_claim,
            cast(videos.video_view_count as double) as views
        from {predictions} as predictions
        inner join {db.quote_relation(relation)} as videos
            on predictions.video_id = videos.video_id
        where videos.is_labeled
            and predictions.claim_probability is not null
        order by predictions.video_id
        """
    ).df()
    return frame.astype(
        {
            "split": object,
            "review_priority": np.int64,
            "claim_probability": float,
            "predicted_is_claim": bool,
            "is_claim": bool,
            "views": float,
        }
    )


def queue_counts(connection: Any) -> dict[str, int]:
    """Sizes of the whole queue and of its unlabeled backlog: flagged, unscored."""
    predictions = db.quote_relation(f"{config.ML_SCHEMA}.claim_predictions")
    frame = connection.execute(
        f"select split, predicted_is_claim, claim_probability is null as unscored "
        f"from {predictions}"
    ).df()
    flagged = frame["predicted_is_claim"].fillna(False).astype(bool)
    unscored = frame["unscored"].astype(bool)
    backlog = (frame["split"] == "unlabeled").fillna(False).astype(bool)
    return {
        "queue_videos": len(frame),
        "queue_flagged": int(flagged.sum()),
        "queue_unscored": int(unscored.sum()),
        "backlog_unlabeled": int(backlog.sum()),
        "backlog_unlabeled_flagged": int((backlog & flagged).sum()),
        "backlog_unlabeled_unscored": int((backlog & unscored).sum()),
    }


def _empty(**types: type) -> pd.DataFrame:
    """A frame without rows, with typed columns (a split without rows still gets its table)."""
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in types.items()})


def evaluation_frames(
    labeled: pd.DataFrame, queue: dict[str, int], model_run_id: str, model_name: str
) -> dict[str, pd.DataFrame]:
    """Every evaluation table, computed from the labeled predictions (see the module doc)."""
    test = labeled[labeled["split"] == EVALUATED_SPLIT].reset_index(drop=True)
    labels = test["is_claim"].to_numpy(dtype=bool)
    probability = test["claim_probability"].to_numpy(dtype=float)
    confusion = evaluate.confusion_cells(
        labeled["split"].to_numpy(), labeled["is_claim"], labeled["predicted_is_claim"]
    )
    has_rows = len(test) > 0
    curve = evaluate.precision_recall_points(labels, probability) if labels.any() else None
    calibration = evaluate.calibration_points(labels, probability) if has_rows else None
    queue_order = np.argsort(test["review_priority"].to_numpy(), kind="stable")
    probability_order = np.lexsort((test["video_id"].to_numpy(), -probability))
    capture = evaluate.capture_curve(
        labels, test["views"].to_numpy(), queue_order, probability_order
    )

    cells = confusion[confusion["split"] == EVALUATED_SPLIT].set_index(["actual", "predicted"])
    tp, fp = (int(cells.loc[(a, "claim"), "videos"]) for a in ("claim", "opinion"))
    fn, tn = (int(cells.loc[(a, "opinion"), "videos"]) for a in ("claim", "opinion"))
    top_n = tp + fn
    summary = {
        "model_name": model_name,
        "split": EVALUATED_SPLIT,
        "videos": len(test),
        "claims": int(labels.sum()),
        "true_positive": tp,
        "false_positive": fp,
        "false_negative": fn,
        "true_negative": tn,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "accuracy": (tp + tn) / len(test) if has_rows else None,
        "brier": float(brier_score_loss(labels, probability)) if has_rows else None,
        "top_n": top_n,
        "top_n_caught": int(labels[queue_order[:top_n]].sum()),
        **queue,
    }
    frames = {
        "evaluation_confusion": confusion,
        "evaluation_precision_recall": (
            curve.assign(split=EVALUATED_SPLIT)
            if curve is not None
            else _empty(threshold=float, recall=float, precision=float, flagged=int, caught=int)
        ),
        "evaluation_calibration": (
            calibration.assign(split=EVALUATED_SPLIT)
            if calibration is not None
            else _empty(bin=int, mean_predicted=float, observed_share=float, videos=int)
        ),
        "evaluation_capture": capture.assign(split=EVALUATED_SPLIT),
        "evaluation_summary": pd.DataFrame([summary]).astype(
            dict.fromkeys(("precision", "recall", "accuracy", "brier"), float)
        ),
    }
    return {
        name: frame.assign(model_run_id=model_run_id)[
            ["model_run_id", *(column for column in frame.columns if column != "model_run_id")]
        ]
        for name, frame in frames.items()
    }


def write_evaluation(
    connection: Any, relation: str, model_run_id: str, model_name: str
) -> dict[str, pd.DataFrame]:
    """Compute the evaluation of the predictions in `ml.claim_predictions`; replace its tables."""
    frames = evaluation_frames(
        labeled_predictions(connection, relation),
        queue_counts(connection),
        model_run_id,
        model_name,
    )
    for name, frame in frames.items():
        db.replace_table(connection, name, pa.Table.from_pandas(frame, preserve_index=False))
    return frames
