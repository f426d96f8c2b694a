"""What a training run leaves behind: its rows in `ml.model_runs`, `ml.video_splits` and
`ml.feature_importance`, the `metrics.json` document, and the tables behind its charts."""

from __future__ import annotations

import json
import secrets
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ml import charts, config, db, evaluate
from ml.train_data import SPLITS, TrainingData
from ml.train_fit import FittedModel


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
