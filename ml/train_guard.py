"""What `score` deploys: the champion and the at-upload model calibrated, with their cost-tuned
thresholds and novelty guard, measured on the test split and the perturbation suite; and the
training rows' drift reference and typical reach per account."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ml import abstention, config, drift, evaluate
from ml.features import CATEGORICAL_COLS, FEATURE_COLS, LABEL_COL, TEXT_COL, to_model_frame
from ml.novelty import OpeningNovelty
from ml.perturb import perturb
from ml.train_data import SPLITS, TrainingData
from ml.train_fit import FittedModel

log = logging.getLogger(__name__)


AT_UPLOAD_MODEL = "at_upload_logreg"


@dataclass
class GuardedModel:
    """A calibrated model, its decision threshold and guard, and what they measured."""

    name: str
    columns: tuple[str, ...]
    pipeline: Pipeline
    guard: dict[str, Any]
    measured: dict[str, Any]


def guard_models(
    models: dict[str, FittedModel],
    champion: str,
    data: TrainingData,
    splits: np.ndarray,
    seed: int,
    costs: abstention.Costs,
) -> tuple[dict[str, GuardedModel], dict[str, Any]]:
    """Calibrate the champion and the at-upload model, tune their thresholds and novelty guard,
    and measure them on the test split and on the perturbation suite (see ml/abstention.py).

    Settings: "with counts" is the champion; "without counts" the at-upload model, which scores
    videos just posted (in the measurement every row is treated as lacking counts).
    """
    train_rows, validation, test = (splits == name for name in SPLITS)
    frame, labels = data.frame, data.labels
    chosen = {"with counts": champion, "without counts": AT_UPLOAD_MODEL}
    started = time.perf_counter()
    with threadpool_limits(limits=config.NATIVE_THREADS):
        champion_pipeline = clone(models[champion].candidate.pipeline).set_params(
            **models[champion].search.best_params
        )
        tuning = abstention.tune_novelty(
            champion_pipeline,
            frame[train_rows].reset_index(drop=True),
            labels[train_rows],
            models[champion].candidate.columns,
            seed,
        )
        log.info(
            "novelty guard (leave-framing-out CV): first %d words, threshold %.3f; familiar "
            "rows flagged %.4f, held-out claims buried %.4f",
            tuning["chosen"]["opening_tokens"],
            tuning["chosen"]["novelty_threshold"],
            tuning["chosen"]["familiar_flagged"],
            tuning["chosen"]["buried_share"],
        )
        suite = perturb(frame[test].assign(**{LABEL_COL: labels[test]}), seed=seed)
        guarded: dict[str, GuardedModel] = {}
        for setting, name in chosen.items():
            model = models[name]
            columns = model.candidate.columns
            pipeline = clone(model.candidate.pipeline).set_params(**model.search.best_params)
            calibrated = abstention.calibrate(
                pipeline, to_model_frame(frame[train_rows], columns), labels[train_rows]
            )
            threshold = abstention.tune_threshold(
                calibrated, to_model_frame(frame[validation], columns), labels[validation], costs
            )
            guard = abstention.guard_for(frame[TEXT_COL][train_rows], tuning, threshold, costs)
            missing = setting == "without counts"
            test_probability = calibrated.predict_proba(to_model_frame(frame[test], columns))[:, 1]
            measured = {
                "model": name,
                "threshold": threshold,
                "brier_uncalibrated": model.metrics["test"]["brier"],
                "brier_calibrated": evaluate.classification_metrics(
                    labels[test], test_probability, threshold
                )["brier"],
                "test": abstention.guarded_outcome(
                    calibrated, columns, guard, frame[test], labels[test], missing
                ),
                "perturbation_suite": abstention.guarded_outcome(
                    calibrated, columns, guard, suite, suite[LABEL_COL].to_numpy(), missing
                ),
                "perturbation_kinds": {
                    kind: abstention.guarded_outcome(
                        calibrated, columns, guard, rows, rows[LABEL_COL].to_numpy(), missing
                    )
                    for kind, rows in suite.groupby("perturbation", sort=False)
                },
                "reliability": evaluate.calibration_points(labels[test], test_probability).to_dict(
                    "records"
                ),
                "test_probability": test_probability,
            }
            guarded[setting] = GuardedModel(name, columns, calibrated, guard, measured)
            for where in ("test", "perturbation_suite"):
                result = measured[where]
                log.info(
                    "%s (%s), %s: flagged %.4f, buried %.4f of claims, unflagged recall %s "
                    "precision %s",
                    setting,
                    name,
                    where,
                    result["flagged_share"],
                    result["buried_share"],
                    result["recall_unflagged"],
                    result["precision_unflagged"],
                )
    section = {
        "costs": asdict(costs),
        "review_band": list(costs.band()),
        "familiar_flag_budget": abstention.FAMILIAR_FLAG_BUDGET,
        "novelty": tuning,
        "perturbation_rows": len(suite),
        "seconds": time.perf_counter() - started,
        "settings": {
            setting: {k: v for k, v in model.measured.items() if k != "test_probability"}
            for setting, model in guarded.items()
        },
    }
    return guarded, section


def drift_reference(
    data: TrainingData, splits: np.ndarray, guarded: dict[str, GuardedModel]
) -> dict[str, Any]:
    """The training rows' distributions of every feature, the opening novelty and the score."""
    rows = splits == "train"
    champion = guarded["with counts"]
    columns: dict[str, Any] = {
        column: data.frame.loc[rows, column].astype("float64")
        if column not in (TEXT_COL, *CATEGORICAL_COLS)
        else data.frame.loc[rows, column].astype(object)
        for column in FEATURE_COLS
        if column != TEXT_COL
    }
    signal = OpeningNovelty.from_dict(champion.guard["novelty"])
    columns["opening_novelty"] = signal.novelty(data.frame.loc[rows, TEXT_COL])
    columns["claim_probability"] = champion.pipeline.predict_proba(
        to_model_frame(data.frame[rows], champion.columns)
    )[:, 1]
    return drift.reference(columns)


def typical_reach(data: TrainingData, splits: np.ndarray) -> dict[str, float]:
    """Median views of training videos per account ("verified_status|author_ban_status")."""
    rows = data.frame[splits == "train"]
    medians = rows.groupby(list(CATEGORICAL_COLS))["video_view_count"].median()
    reach = {"|".join(key): float(value) for key, value in medians.items()}
    reach["*"] = float(rows["video_view_count"].median())
    return reach
