"""Knowing when the classifier does not know: calibration, cost bands, the novelty flag, and
the honest measurement of all three on framings never seen in training.

A scored video gets, besides its calibrated claim probability:
- `needs_review` and `review_reason`, in this order of precedence:
  1. "unfamiliar wording": the transcript's opening novelty (`ml.novelty`) exceeds the tuned
     threshold; the model's answer rests on a framing it has never seen;
  2. "missing counts": a video without engagement counts, scored by the at-upload model, whose
     probability falls in the review band (the counts the champion reads would have settled it);
  3. "low confidence": any other video whose probability falls in the review band;
  4. "missing <column>": a video that cannot be scored at all.
- a decision (`predicted_is_claim`) at the cost-tuned threshold.

Bands from costs (`Costs`): a missed claim costs `missed_claim`, a false flag `false_flag`, a
human review `review`. Clearing a video of probability p costs p x missed_claim on average,
flagging it (1 - p) x false_flag; a review is worth its cost where both exceed it, so the review
band is (review / missed_claim, 1 - review / false_flag). The decision threshold is tuned by
`TunedThresholdClassifierCV` on the validation split for the least total cost.

The novelty threshold and the opening length are chosen by leave-framing-out cross-validation
on the training rows (groups: the transcript's first two words, so each fold's framings are
unseen): the settings whose flags on familiar rows stay within `FAMILIAR_FLAG_BUDGET`, and among
them the one that buries the fewest claims of the held-out framings. The perturbation suite
(`ml.perturb`) is never used to choose anything: it only measures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import confusion_matrix, make_scorer
from sklearn.model_selection import GroupKFold, TunedThresholdClassifierCV, train_test_split
from sklearn.pipeline import Pipeline

from ml import config
from ml.features import TEXT_COL, to_model_frame
from ml.novelty import OpeningNovelty

FAMILIAR_FLAG_BUDGET = 0.015
"""Most share of familiar-framing videos the novelty flag may send to review (of the 2% target)."""
OPENING_TOKENS = (3, 4, 5, 6)
NOVELTY_MIN_DF = 2
GROUP_FOLDS = 5

UNFAMILIAR = "unfamiliar wording"
MISSING_COUNTS = "missing counts"
LOW_CONFIDENCE = "low confidence"


@dataclass(frozen=True)
class Costs:
    """What each outcome costs, in units of one wrongly flagged opinion."""

    missed_claim: float = config.COST_MISSED_CLAIM
    false_flag: float = config.COST_FALSE_FLAG
    review: float = config.COST_REVIEW

    def band(self) -> tuple[float, float]:
        """The probabilities between which a review costs less than deciding automatically."""
        return self.review / self.missed_claim, 1.0 - self.review / self.false_flag


def opening_groups(texts: pd.Series) -> np.ndarray:
    """The group of each transcript in leave-framing-out CV: its first two words, lower-cased."""
    words = texts.fillna("").str.lower().str.split().str[:2].str.join(" ")
    return words.to_numpy(dtype=object)


def cost_scorer(costs: Costs) -> Any:
    """A scorer: minus the total cost of the decisions (for TunedThresholdClassifierCV)."""

    def negative_cost(labels: np.ndarray, predicted: np.ndarray) -> float:
        _, false_flags, missed, _ = confusion_matrix(labels, predicted, labels=[0, 1]).ravel()
        return -float(missed * costs.missed_claim + false_flags * costs.false_flag)

    return make_scorer(negative_cost)


def calibrate(pipeline: Pipeline, features: pd.DataFrame, labels: np.ndarray) -> Pipeline:
    """The pipeline refitted with sigmoid calibration on 3 training folds, as one pipeline."""
    calibrated = CalibratedClassifierCV(clone(pipeline), method="sigmoid", cv=3, ensemble=False)
    return Pipeline([("calibrated", calibrated.fit(features, labels))])


def tune_threshold(
    model: Pipeline, features: pd.DataFrame, labels: np.ndarray, costs: Costs
) -> float:
    """The decision threshold of least cost on held-out rows (the fitted model is frozen)."""
    tuned = TunedThresholdClassifierCV(
        FrozenEstimator(model), scoring=cost_scorer(costs), cv=2, refit=True
    )
    tuned.fit(features, labels)
    return float(tuned.best_threshold_)


def decide(
    probability: np.ndarray,
    novelty: np.ndarray,
    missing_counts: np.ndarray,
    guard: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`predicted_is_claim`, `needs_review` and `review_reason` for scored rows (NaN = unscored)."""
    low, high = guard["review_band"]
    scored = ~np.isnan(probability)
    predicted = np.where(scored, probability >= guard["threshold"], False)
    unfamiliar = scored & (novelty > guard["novelty_threshold"])
    unsure = scored & (probability > low) & (probability < high)
    reason = np.full(len(probability), None, dtype=object)
    reason[unsure] = LOW_CONFIDENCE
    reason[unsure & missing_counts] = MISSING_COUNTS
    reason[unfamiliar] = UNFAMILIAR
    return predicted, unfamiliar | unsure, reason


def outcome(labels: np.ndarray, predicted: np.ndarray, flagged: np.ndarray) -> dict[str, Any]:
    """Recall and precision on unflagged rows, share flagged, share of claims buried."""
    labels = np.asarray(labels, dtype=bool)
    kept = ~flagged
    true_pos = int((labels & predicted & kept).sum())
    claims_kept = int((labels & kept).sum())
    predicted_kept = int((predicted & kept).sum())
    claims = int(labels.sum())
    return {
        "rows": len(labels),
        "claims": claims,
        "flagged_share": float(flagged.mean()) if len(labels) else 0.0,
        "recall_unflagged": true_pos / claims_kept if claims_kept else None,
        "precision_unflagged": true_pos / predicted_kept if predicted_kept else None,
        "claims_buried": int((labels & ~predicted & kept).sum()),
        "buried_share": float((labels & ~predicted & kept).sum() / claims) if claims else 0.0,
    }


def tune_novelty(
    pipeline: Pipeline,
    frame: pd.DataFrame,
    labels: np.ndarray,
    columns: tuple[str, ...],
    seed: int,
) -> dict[str, Any]:
    """Choose the opening length and novelty threshold by leave-framing-out CV (training rows).

    In each fold the held-out rows' first two words never occur in the fold's training rows.
    A random fifth of the fold's training rows is kept aside as familiar rows. Every
    (opening length, threshold) is scored on both; the chosen setting flags at most
    `FAMILIAR_FLAG_BUDGET` of the familiar rows and buries the fewest held-out claims.
    """
    groups = opening_groups(frame[TEXT_COL])
    folds = GroupKFold(n_splits=min(GROUP_FOLDS, len(set(groups))))
    trials: dict[tuple[int, float], dict[str, list[float]]] = {}
    per_fold = []
    for fold, (inside, held_out) in enumerate(folds.split(frame, labels, groups)):
        fit_rows, familiar = train_test_split(
            inside, test_size=0.2, random_state=seed + fold, stratify=labels[inside]
        )
        model = clone(pipeline).fit(to_model_frame(frame.iloc[fit_rows], columns), labels[fit_rows])
        predicted = model.predict_proba(to_model_frame(frame.iloc[held_out], columns))[:, 1] >= 0.5
        plain = outcome(labels[held_out], predicted, np.zeros(len(held_out), dtype=bool))
        per_fold.append({"fold": fold, "held_out_rows": len(held_out), **plain})
        for tokens in OPENING_TOKENS:
            signal = OpeningNovelty(tokens, NOVELTY_MIN_DF).fit(frame[TEXT_COL].iloc[fit_rows])
            unseen = signal.novelty(frame[TEXT_COL].iloc[held_out])
            known = signal.novelty(frame[TEXT_COL].iloc[familiar])
            for threshold in np.unique(np.concatenate([[0.0], known])):
                trial = trials.setdefault(
                    (tokens, float(threshold)), {"familiar": [], "buried": []}
                )
                trial["familiar"].append(float((known > threshold).mean()))
                buried = labels[held_out] & ~predicted & (unseen <= threshold)
                trial["buried"].append(float(buried.sum() / max(labels[held_out].sum(), 1)))
    scored = [
        {
            "opening_tokens": tokens,
            "novelty_threshold": threshold,
            "familiar_flagged": float(np.mean(values["familiar"])),
            "buried_share": float(np.mean(values["buried"])),
            "folds": len(values["familiar"]),
        }
        for (tokens, threshold), values in trials.items()
        if len(values["familiar"]) == len(per_fold)
    ]
    allowed = [trial for trial in scored if trial["familiar_flagged"] <= FAMILIAR_FLAG_BUDGET]
    best = min(
        allowed or scored,
        key=lambda t: (t["buried_share"], t["familiar_flagged"], -t["novelty_threshold"]),
    )
    return {"chosen": best, "folds": per_fold, "trials": len(scored)}


def guard_for(
    texts: pd.Series, tuning: dict[str, Any], threshold: float, costs: Costs
) -> dict[str, Any]:
    """The guard a model file carries: the fitted novelty signal, its threshold and the bands."""
    chosen = tuning["chosen"]
    signal = OpeningNovelty(chosen["opening_tokens"], NOVELTY_MIN_DF).fit(texts)
    return {
        "novelty": signal.to_dict(),
        "novelty_threshold": chosen["novelty_threshold"],
        "threshold": threshold,
        "review_band": list(costs.band()),
        "costs": asdict(costs),
    }


def guarded_outcome(
    model: Pipeline,
    columns: tuple[str, ...],
    guard: dict[str, Any],
    frame: pd.DataFrame,
    labels: np.ndarray,
    missing_counts: bool = False,
) -> dict[str, Any]:
    """`outcome` of a calibrated model and its guard on labeled rows, with the reasons' shares."""
    probability = model.predict_proba(to_model_frame(frame, columns))[:, 1]
    novelty = OpeningNovelty.from_dict(guard["novelty"]).novelty(frame[TEXT_COL])
    predicted, flagged, reasons = decide(
        probability, novelty, np.full(len(frame), missing_counts), guard
    )
    result = outcome(labels, predicted, flagged)
    for reason in (UNFAMILIAR, MISSING_COUNTS, LOW_CONFIDENCE):
        result[f"share_{reason.replace(' ', '_')}"] = float(np.mean(reasons == reason))
    return result


def expected_harm(
    probability: np.ndarray, views: np.ndarray, fallback_reach: np.ndarray
) -> np.ndarray:
    """P(claim) x reach: the views, or for a video without them its account's typical views."""
    reach = np.where(np.isnan(views), fallback_reach, views)
    return probability * np.nan_to_num(reach, nan=0.0)


def capture_points(labels: np.ndarray, probability: np.ndarray, views: np.ndarray) -> pd.DataFrame:
    """Cumulative share of the claims' views caught as the queue is reviewed, per order."""
    parts = []
    harm_of_claims = np.where(labels, views, 0.0)
    total = harm_of_claims.sum() or 1.0
    for name, key in (
        ("expected harm", expected_harm(probability, views, views)),
        ("probability only", probability),
    ):
        order = np.argsort(-key, kind="stable")
        caught = np.cumsum(harm_of_claims[order]) / total
        keep = np.unique(np.linspace(0, len(order) - 1, 200).round().astype(int))
        parts.append(
            pd.DataFrame(
                {
                    "order": name,
                    "reviewed_share": (keep + 1) / len(order),
                    "captured_share": caught[keep],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
