"""The model side of the report's data: plain selects from the `ml` tables.

`python -m ml score` writes the evaluation (`ml.evaluation_*`, see `ml.evaluation`) and
`python -m ml stats` the statistics (`ml.hypothesis_tests`, `ml.group_means`, the regression):
here they are only read, filtered and ordered.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from report.data.read import read, read_rows, relation_exists

MODEL_RUNS = "ml.model_runs"
FEATURE_IMPORTANCE = "ml.feature_importance"
EVALUATION_SUMMARY = "ml.evaluation_summary"
EVALUATION_CONFUSION = "ml.evaluation_confusion"
EVALUATION_PRECISION_RECALL = "ml.evaluation_precision_recall"
EVALUATION_CALIBRATION = "ml.evaluation_calibration"
EVALUATION_CAPTURE = "ml.evaluation_capture"
HYPOTHESIS_TESTS = "ml.hypothesis_tests"
GROUP_MEANS = "ml.group_means"
REGRESSION_COEFFICIENTS = "ml.verified_regression_coefficients"
REGRESSION_METRICS = "ml.verified_regression_metrics"
SCORE_DRIFT = "ml.score_drift"
SCORING_RUNS = "ml.scoring_runs"
MODEL_TABLES = (
    MODEL_RUNS,
    EVALUATION_SUMMARY,
    EVALUATION_CONFUSION,
    EVALUATION_PRECISION_RECALL,
    EVALUATION_CALIBRATION,
    EVALUATION_CAPTURE,
)
STATISTICS_TABLES = (HYPOTHESIS_TESTS, GROUP_MEANS, REGRESSION_COEFFICIENTS, REGRESSION_METRICS)


def all_exist(con: duckdb.DuckDBPyConnection, relations: tuple[str, ...]) -> bool:
    """Whether every relation exists."""
    return all(relation_exists(con, relation) for relation in relations)


def evaluation_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The scoring champion's headline figures (one row), or None before any scoring."""
    frame = read(con, f"select * from {EVALUATION_SUMMARY} limit 1")
    return None if frame.empty else frame.iloc[0].to_dict()


def model_runs(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Every candidate of the training run, with its metrics (JSON text)."""
    return read(
        con,
        f"select model_name, is_champion, cast(metrics as varchar) as metrics "
        f"from {MODEL_RUNS} where run_id = ? order by model_name",
        [run_id],
    )


def feature_importance(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Each candidate's permutation importance per input column (empty before a training run
    that recorded them)."""
    if not relation_exists(con, FEATURE_IMPORTANCE):
        return pd.DataFrame(columns=["model_name", "feature", "importance", "std"])
    return read(
        con,
        f"select model_name, feature, importance, std from {FEATURE_IMPORTANCE} "
        "where run_id = ? order by model_name, feature",
        [run_id],
    )


def _of_run(con: duckdb.DuckDBPyConnection, relation: str, run_id: str, order: str) -> pd.DataFrame:
    return read(
        con,
        f"select * exclude (model_run_id) from {relation} where model_run_id = ? order by {order}",
        [run_id],
    )


def confusion_cells(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Videos per (split, actual, predicted): validation and test, zero cells included."""
    return _of_run(con, EVALUATION_CONFUSION, run_id, "split desc, actual, predicted")


def precision_recall(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """The test split's precision-recall curve, highest threshold first."""
    return _of_run(con, EVALUATION_PRECISION_RECALL, run_id, "recall, precision desc").drop(
        columns="split"
    )


def calibration(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Observed share of claims per tenth of predicted probability (test split)."""
    return _of_run(con, EVALUATION_CALIBRATION, run_id, "bin").drop(columns="split")


def capture_curve(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Claims and their views found per percent of the test queue reviewed, per ordering."""
    return _of_run(con, EVALUATION_CAPTURE, run_id, "ordering desc, percent_reviewed").drop(
        columns="split"
    )


def welch_t_test(con: duckdb.DuckDBPyConnection) -> pd.Series | None:
    """The t-test's row of `ml.hypothesis_tests`, or None."""
    frame = read(con, f"select * from {HYPOTHESIS_TESTS} where test = 'welch_t_test' limit 1")
    return None if frame.empty else frame.iloc[0]


def group_means(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Mean views per verified status with its confidence interval (verified first)."""
    return read(
        con,
        f"select verified_status, videos, mean_views, sd_views, ci_low, ci_high, confidence "
        f"from {GROUP_MEANS} order by verified_status desc",
    )


def query_regression(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The regression's odds ratios (intercept excluded) and its held-out metrics."""
    coefficients = read(
        con,
        f"select term, unit, coefficient, odds_ratio from {REGRESSION_COEFFICIENTS} "
        "where term <> 'intercept' order by odds_ratio",
    )
    metrics = read(
        con,
        f"select class_label, precision, recall, f1, support, accuracy "
        f"from {REGRESSION_METRICS} order by class_label desc",
    )
    return coefficients, metrics


def last_drift(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The drift rows of the last scoring run, most drifted first (empty before any)."""
    last = read_rows(con, f"select scored_at from {SCORE_DRIFT} order by scored_at desc limit 1")
    return read(
        con,
        f"""
        select
            feature,
            psi as "PSI",
            threshold,
            case when drifted then 'drifted' else '' end as "above threshold",
            videos,
            strftime(timezone('UTC', scored_at), '%Y-%m-%d %H:%M UTC') as run_time,
            scored_at
        from {SCORE_DRIFT}
        where scored_at = ?
        order by psi desc, feature
        """,
        [last[0][0] if last else None],
    )


def scoring_mode(con: duckdb.DuckDBPyConnection, scored_at: Any) -> str | None:
    """The mode (full, incremental) of the scoring run of `scored_at`."""
    rows = read_rows(con, f"select mode from {SCORING_RUNS} where scored_at = ?", [scored_at])
    return str(rows[0][0]) if rows else None
