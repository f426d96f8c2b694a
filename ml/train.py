"""`python -m ml train`: fit the candidates, choose the champion, save it and record the run.

Steps, in order: read `marts.claim_features` read-only (types checked against the contract;
a stratified sample of `config.TRAIN_SAMPLE_ROWS` videos when it holds more); split them once,
stratified 60/20/20 by a fixed seed; for each candidate, cross-validate a small grid on the
training rows only and refit the best setting on them; choose the champion on
validation metrics (`ml.evaluate.SELECTION_RULE`); only then score the test split, once, for
every model. The run is appended to `ml.model_runs` and the split to `ml.video_splits` (one short
write connection), then `artifacts/` gets the model, `metrics.json`, the model card and charts.

This module runs the step; `ml.train_data` reads and splits the data, `ml.train_fit` fits and
chooses, `ml.train_guard` calibrates and guards what `score` deploys, and `ml.train_record`
records the run.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ml import abstention, card, charts, config, evaluate
from ml.artifacts import ModelBundle, save_bundle
from ml.features import ID_COL
from ml.train_data import SPLITS, assign_splits, load_training_data
from ml.train_fit import fit_all
from ml.train_guard import drift_reference, guard_models, typical_reach
from ml.train_record import chart_tables, metrics_document, record_run

log = logging.getLogger(__name__)


@dataclass
class TrainingResult:
    """What a run produced: its id, champion, full metrics document and files."""

    run_id: str
    champion: str
    metrics: dict[str, Any]
    files: list[Path]


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
