"""`python -m ml train`: fit the candidates, choose the champion, save it and record the run.

Steps, in order: read `marts.claim_features` read-only (types checked against the contract;
a stratified sample of `config.TRAIN_SAMPLE_ROWS` videos when it holds more); split them once,
stratified 60/20/20 by a fixed seed; for each candidate, cross-validate a small grid on the
training rows only and refit the best setting on them; choose the champion on
validation metrics (`ml.evaluate.SELECTION_RULE`); only then score the test split, once, for
every model. The run is appended to `ml.model_runs` and the split to `ml.video_splits` (one short
write connection), then `artifacts/` gets the model, `metrics.json`, the model card and charts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import subprocess
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.base import clone
from sklearn.inspection import permutation_importance
from sklearn.model_selection import ParameterGrid, StratifiedKFold, cross_validate, train_test_split
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ml import abstention, card, charts, config, db, drift, evaluate
from ml.artifacts import ModelBundle, save_bundle
from ml.errors import MlError, SchemaMismatchError
from ml.features import (
    CATEGORICAL_COLS,
    COLUMN_TYPES,
    FEATURE_COLS,
    ID_COL,
    LABEL_COL,
    TEXT_COL,
    schema_differences,
    to_model_frame,
)
from ml.models import Candidate, build_candidates
from ml.novelty import OpeningNovelty
from ml.perturb import perturb

log = logging.getLogger(__name__)

SPLITS = tuple(config.SPLIT_FRACTIONS)
CV_SCORING = {
    "precision": "precision",
    "recall": "recall",
    "pr_auc": "average_precision",
    "f1": "f1",
}
MIN_VIDEOS_PER_CLASS = 10
OPENING_WORDS = (1, 2, 3)
AT_UPLOAD_MODEL = "at_upload_logreg"


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


@dataclass
class TrainingResult:
    """What a run produced: its id, champion, full metrics document and files."""

    run_id: str
    champion: str
    metrics: dict[str, Any]
    files: list[Path]


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


def git_sha() -> str | None:
    """The checkout's commit, or None outside git or before the first commit."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=config.REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def record_run(
    db_path: Path,
    metrics: dict[str, Any],
    models: dict[str, FittedModel],
    video_ids: np.ndarray,
    splits: np.ndarray,
) -> None:
    """Append the run (one row per model) to `ml.model_runs` and its split to `ml.video_splits`;
    replace `ml.feature_importance` with the run's permutation importances."""
    run_id = metrics["run_id"]
    trained_at = datetime.fromisoformat(metrics["trained_at"])
    runs = pa.table(
        {
            "run_id": [run_id] * len(models),
            "model_name": list(models),
            "is_champion": [name == metrics["champion"] for name in models],
            "trained_at": pa.array([trained_at] * len(models), pa.timestamp("us", tz="UTC")),
            "relation": [metrics["data"]["relation"]] * len(models),
            "training_rows": [metrics["data"]["split_rows"]["train"]] * len(models),
            "seed": pa.array([metrics["seed"]] * len(models), pa.int32()),
            "data_fingerprint": [metrics["data"]["fingerprint"]] * len(models),
            "git_sha": pa.array([metrics["git_sha"]] * len(models), pa.string()),
            "params": [json.dumps(model.search.best_params) for model in models.values()],
            "metrics": [json.dumps(metrics["models"][name]["metrics"]) for name in models],
        }
    )
    split_rows = pa.table(
        {
            "model_run_id": pa.array([run_id] * len(video_ids), pa.string()),
            "video_id": pa.array(video_ids, pa.int64()),
            "split": pa.array(splits.tolist(), pa.string()),
        }
    )
    with db.writing(db_path, "python -m ml train") as connection:
        connection.execute(
            f"""
            create table if not exists {config.ML_SCHEMA}.model_runs (
                run_id varchar not null,
                model_name varchar not null,
                is_champion boolean not null,
                trained_at timestamptz not null,
                relation varchar not null,
                training_rows bigint not null,
                seed integer not null,
                data_fingerprint varchar not null,
                git_sha varchar,
                params json not null,
                metrics json not null,
                primary key (run_id, model_name)
            )
            """
        )
        connection.execute(
            f"""
            create table if not exists {config.ML_SCHEMA}.video_splits (
                model_run_id varchar not null,
                video_id bigint not null,
                split varchar not null,
                primary key (model_run_id, video_id)
            )
            """
        )
        db.append_rows(connection, "model_runs", runs)
        db.append_rows(connection, "video_splits", split_rows)
        importance = pa.Table.from_pylist(
            [
                {"run_id": run_id, "model_name": name, **item}
                for name, model in models.items()
                for item in model.importance
            ],
            schema=pa.schema(
                [
                    ("run_id", pa.string()),
                    ("model_name", pa.string()),
                    ("feature", pa.string()),
                    ("importance", pa.float64()),
                    ("std", pa.float64()),
                ]
            ),
        )
        db.replace_table(connection, "feature_importance", importance)


def chart_tables(
    models: dict[str, FittedModel], champion: str, data: TrainingData, splits: np.ndarray
) -> dict[str, Any]:
    """The four charts of a run, from small tables."""
    validation_labels = data.labels[splits == "validation"]
    curves, calibration, importance = [], [], []
    for name, model in models.items():
        scores = model.probabilities["validation"]
        curves.append(
            evaluate.precision_recall_points(validation_labels, scores).assign(model=name)
        )
        calibration.append(
            evaluate.calibration_points(validation_labels, scores).assign(model=name)
        )
        importance.append(pd.DataFrame(model.importance).assign(model=name))
    cells = []
    for split in ("validation", "test"):
        matrix = models[champion].metrics[split]["confusion_matrix"]
        for actual, predicted, key in (
            ("opinion", "opinion", "true_negative"),
            ("opinion", "claim", "false_positive"),
            ("claim", "opinion", "false_negative"),
            ("claim", "claim", "true_positive"),
        ):
            cells.append(
                {"split": split, "actual": actual, "predicted": predicted, "videos": matrix[key]}
            )
    return {
        "confusion_matrix": charts.confusion_matrix_chart(
            pd.DataFrame(cells), f"Confusion matrix: {champion}"
        ),
        "precision_recall": charts.precision_recall_chart(pd.concat(curves)),
        "permutation_importance": charts.importance_chart(pd.concat(importance)),
        "calibration": charts.calibration_chart(pd.concat(calibration)),
    }


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


def metrics_document(
    data: TrainingData,
    splits: np.ndarray,
    models: dict[str, FittedModel],
    champion: str,
    seed: int,
    fast: bool,
) -> dict[str, Any]:
    """Everything `metrics.json` records about a run."""
    return {
        "run_id": f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}",
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_sha": git_sha(),
        "seed": seed,
        "fast": fast,
        "data": {
            "relation": data.relation,
            "rows": len(data.labels),
            "available_rows": data.available_rows,
            "sample_rows": data.sample_rows,
            "claims": int(data.labels.sum()),
            "fingerprint": data.fingerprint,
            "split_rows": {name: int((splits == name).sum()) for name in SPLITS},
        },
        "selection": {
            "rule": evaluate.SELECTION_RULE,
            "precision_floor": config.PRECISION_FLOOR,
            "decision_threshold": config.DECISION_THRESHOLD,
            "cv_folds": 2 if fast else config.CV_FOLDS,
        },
        "champion": champion,
        "shortcuts": data.shortcuts,
        "models": {
            name: {
                "title": model.candidate.title,
                "description": model.candidate.description,
                "columns": list(model.candidate.columns),
                "params": model.search.best_params,
                "cv_trials": model.search.trials,
                "grid_truncated": model.search.truncated,
                "seconds": {"grid_search": model.search.seconds, "final_fit": model.fit_seconds},
                "metrics": model.metrics,
                "permutation_importance": model.importance,
            }
            for name, model in models.items()
        },
    }


def train(
    db_path: Path,
    artifacts_dir: Path,
    relation: str = config.FEATURES_RELATION,
    seed: int = config.SEED,
    fast: bool = False,
    budget_seconds: float = config.GRID_SECONDS_PER_CANDIDATE,
    sample_rows: int | None = config.TRAIN_SAMPLE_ROWS,
    costs: abstention.Costs | None = None,
) -> TrainingResult:
    """Run the whole training step; see the module docstring for the order of events."""
    started = time.perf_counter()
    data = load_training_data(db_path, relation, sample_rows, seed)
    splits = assign_splits(data.labels, seed)
    log.info(
        "read %s: %s videos (%s claims); split %s",
        relation,
        f"{len(data.labels):,}",
        f"{int(data.labels.sum()):,}",
        ", ".join(f"{name} {int((splits == name).sum()):,}" for name in SPLITS),
    )
    models, champion = fit_all(data, splits, seed, fast, budget_seconds)
    guarded, guard_section = guard_models(
        models, champion, data, splits, seed, costs or abstention.Costs()
    )
    main, upload = guarded["with counts"], guarded["without counts"]
    if main.name == champion:
        # The champion's recorded test figures are those of what `score` deploys: the calibrated
        # model at its cost-tuned threshold (the other splits and candidates stay at 0.5).
        test = splits == "test"
        models[champion].metrics["test"] = evaluate.classification_metrics(
            data.labels[test], main.measured["test_probability"], main.measured["threshold"]
        )
    metrics = metrics_document(data, splits, models, champion, seed, fast)
    metrics["abstention"] = guard_section
    record_run(db_path, metrics, models, data.frame[ID_COL].to_numpy(), splits)

    bundle = ModelBundle(
        pipeline=main.pipeline,
        model_name=champion,
        model_run_id=metrics["run_id"],
        feature_types={column: data.column_types[column] for column in main.columns},
        threshold=main.guard["threshold"],
        trained_at=metrics["trained_at"],
        guard=main.guard,
        fallback=None
        if upload.name == champion
        else {
            "pipeline": upload.pipeline,
            "model_name": upload.name,
            "feature_types": {column: data.column_types[column] for column in upload.columns},
            "guard": upload.guard,
        },
        profile=drift_reference(data, splits, guarded),
        reach=typical_reach(data, splits),
    )
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    model_path = artifacts_dir / config.MODEL_FILE
    save_bundle(bundle, model_path)
    tables = chart_tables(models, champion, data, splits)
    test = splits == "test"
    tables["capture_curve"] = charts.capture_chart(
        abstention.capture_points(
            data.labels[test],
            main.measured["test_probability"],
            data.frame.loc[test, "video_view_count"].to_numpy(dtype=float),
        )
    )
    tables["calibration"] = charts.calibration_chart(
        pd.concat(
            [
                evaluate.calibration_points(
                    data.labels[test], main.measured["test_probability"]
                ).assign(model=f"{champion} calibrated (test)"),
                evaluate.calibration_points(
                    data.labels[test], models[champion].probabilities["test"]
                ).assign(model=f"{champion} uncalibrated (test)"),
            ]
        )
    )
    chart_files = charts.save_charts(tables, artifacts_dir)
    card_path = artifacts_dir / config.MODEL_CARD_FILE
    card_path.write_text(card.render(metrics))
    metrics["seconds_total"] = time.perf_counter() - started
    metrics_path = artifacts_dir / config.METRICS_FILE
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    return TrainingResult(
        metrics["run_id"], champion, metrics, [model_path, metrics_path, card_path, *chart_files]
    )
