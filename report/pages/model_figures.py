"""The model page's figures, each from its `ml` table, and the figures they quote."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from ml.charts import calibration_chart, confusion_matrix_chart, precision_recall_chart
from report import data
from report.facts import Facts, fmt_brier, fmt_int, fmt_num, fmt_p, fmt_pct, ratio
from report.figures import Figure
from report.pages.model_charts import capture_chart, group_means_chart, odds_ratio_chart

METRIC_COLUMNS = {
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "accuracy": "accuracy",
    "pr_auc": "PR-AUC",
    "brier": "Brier",
}


def candidates_table(runs: pd.DataFrame, titles: dict[str, str], facts: Facts) -> pd.DataFrame:
    """Each candidate's test metrics (from `ml.model_runs`); the baseline's go to `facts`."""
    model_rows = []
    for record in runs.itertuples():
        test = json.loads(record.metrics).get("test", {})
        row = {"model": titles.get(record.model_name, record.model_name)}
        row["role"] = "champion" if record.is_champion else ""
        for key, label in METRIC_COLUMNS.items():
            value = test.get(key)
            row[label] = "" if value is None else f"{value:.4f}"
        matrix = test.get("confusion_matrix", {})
        row["missed claims"] = matrix.get("false_negative")
        row["false claims"] = matrix.get("false_positive")
        model_rows.append(row)
        if record.model_name == "rf_baseline":
            facts.add("baseline_test_recall", test.get("recall"), lambda v: fmt_pct(v, 2))
            facts.add("baseline_test_false_negative", matrix.get("false_negative"))
    return pd.DataFrame(model_rows)


def add_summary_facts(summary: dict[str, Any], facts: Facts) -> None:
    """The test split's and the queue's figures of `ml.evaluation_summary`."""
    tp, fp = summary["true_positive"], summary["false_positive"]
    fn, tn = summary["false_negative"], summary["true_negative"]
    facts.add("test_videos", summary["videos"])
    facts.add("test_claims", summary["claims"])
    facts.add("test_true_positive", tp)
    facts.add("test_false_positive", fp)
    facts.add("test_false_negative", fn)
    facts.add("test_true_negative", tn)
    facts.add("test_recall", ratio(tp, tp + fn), lambda v: fmt_pct(v, 2))
    facts.add("test_precision", ratio(tp, tp + fp), lambda v: fmt_pct(v, 2))
    facts.add("test_accuracy", ratio(tp + tn, tp + fp + fn + tn), lambda v: fmt_pct(v, 2))
    for name in (
        "queue_videos",
        "queue_flagged",
        "queue_unscored",
        "backlog_unlabeled",
        "backlog_unlabeled_flagged",
        "backlog_unlabeled_unscored",
    ):
        facts.add(name, summary[name])
    top_n, videos = summary["top_n"], summary["videos"]
    facts.add("top_n", top_n)
    facts.add("top_n_caught", summary["top_n_caught"])
    facts.add("top_n_caught_share", ratio(summary["top_n_caught"], top_n), fmt_pct)
    facts.add("top_n_random_caught", top_n * top_n / videos if videos else None, fmt_int)
    facts.add("test_brier", summary["brier"], fmt_brier)


def capture_figure(capture: pd.DataFrame, summary: dict[str, Any], facts: Facts) -> Figure:
    """The review queue's capture curve, and the share of views found after a tenth."""
    at_tenth = capture[capture["percent_reviewed"] == 10].set_index("ordering")
    for key, ordering in (
        ("harm", "expected harm (the queue)"),
        ("probability", "probability only"),
    ):
        value = at_tenth["caught_views_share"].get(ordering) if len(at_tenth) else None
        facts.add(f"tenth_views_share_{key}", value, fmt_pct)
    wide = capture[capture["percent_reviewed"] % 10 == 0].pivot(
        index="percent_reviewed", columns="ordering", values=["caught_share", "caught_views_share"]
    )
    table = pd.DataFrame(
        {
            "% reviewed": wide.index,
            "claims found, queue": wide[("caught_share", "expected harm (the queue)")],
            "claims found, probability": wide[("caught_share", "probability only")],
            "views found, queue": wide[("caught_views_share", "expected harm (the queue)")],
            "views found, probability": wide[("caught_views_share", "probability only")],
        }
    ).reset_index(drop=True)
    return Figure(
        "review_queue_capture",
        capture_chart(capture, summary["top_n"], summary["videos"]),
        "Share of the test split's claims (solid) and of their views (dashed) found after "
        "reviewing each share of its videos: in the queue's order, which weighs the "
        "probability of a claim by its reach (expected harm, blue), and by probability alone "
        "(orange). After a tenth of the test videos the queue has found "
        f"{facts.html('tenth_views_share_harm')} of the claims' views, the probability order "
        f"{facts.html('tenth_views_share_probability')}. From "
        "<code>ml.evaluation_capture</code>.",
        table,
        {column: ".2%" for column in table.columns if column != "% reviewed"},
        relations=(data.EVALUATION_CAPTURE, data.EVALUATION_SUMMARY),
    )


def performance_figures(
    con: duckdb.DuckDBPyConnection, run_id: str, title: str, facts: Facts
) -> dict[str, Figure]:
    """The confusion matrix, the precision-recall curve and the reliability diagram."""
    cells = data.confusion_cells(con, run_id)
    curve = data.precision_recall(con, run_id).assign(model=title)
    calibration = data.calibration(con, run_id).assign(model=title)
    return {
        "confusion_matrix": Figure(
            "confusion_matrix",
            confusion_matrix_chart(cells, f"Confusion matrix: {title}"),
            "Actual against predicted class of the champion on the validation and test splits "
            "(threshold 0.5).",
            cells,
            {"videos": ",d"},
            relations=(data.EVALUATION_CONFUSION,),
        ),
        "precision_recall": Figure(
            "precision_recall",
            precision_recall_chart(curve[["model", "recall", "precision"]]).properties(
                title="Precision-recall curve: the champion on the test split"
            ),
            "Precision against recall as the probability threshold moves (scikit-learn's "
            "curve, thinned to about 200 points).",
            relations=(data.EVALUATION_PRECISION_RECALL,),
        ),
        "calibration": Figure(
            "calibration",
            calibration_chart(calibration).properties(
                title="Reliability diagram: the champion on the test split"
            ),
            "Observed share of claims per tenth of predicted probability; the dashed diagonal "
            "is perfect calibration. Brier score (mean squared difference between probability "
            "and label; 0 is perfect, 0.25 a constant 0.5) on the test split: "
            f"{facts.html('test_brier')}.",
            calibration[["mean_predicted", "observed_share", "videos"]],
            {"mean_predicted": ".4f", "observed_share": ".4f", "videos": ",d"},
            relations=(data.EVALUATION_CALIBRATION, data.EVALUATION_SUMMARY),
        ),
    }


def statistics_figures(
    con: duckdb.DuckDBPyConnection, row: pd.Series, facts: Facts
) -> dict[str, Figure]:
    """The t-test's facts, the group means and the regression's odds ratios."""
    means = {row["group_a"]: row["mean_a"], row["group_b"]: row["mean_b"]}
    facts.add("t_test_alpha", row["alpha"], lambda v: f"{v:g}")
    facts.add("t_test_mean_verified", means.get("verified"), fmt_num)
    facts.add("t_test_mean_not_verified", means.get("not verified"), fmt_num)
    facts.add("t_test_statistic", row["t_statistic"], lambda v: f"{v:.2f}")
    facts.add("t_test_degrees_of_freedom", row["degrees_of_freedom"], lambda v: f"{v:,.1f}")
    facts.add("t_test_p_value", row["p_value"], fmt_p)
    facts.add("t_test_decision", "rejected" if row["reject_null"] else "kept", str)
    verified, unverified = means.get("verified"), means.get("not verified")
    higher = "verified" if (verified or 0) > (unverified or 0) else "unverified"
    facts.add("t_test_higher_group", higher, str)
    group_means = data.group_means(con)
    for record in group_means.itertuples():
        key = record.verified_status.replace(" ", "_")
        facts.add(f"ci_low_{key}", record.ci_low, fmt_num)
        facts.add(f"ci_high_{key}", record.ci_high, fmt_num)
    subtitle = (
        f"Welch's t = {row['t_statistic']:.2f}, df = {row['degrees_of_freedom']:,.0f}, "
        + ("p " if row["p_value"] == 0 else "p = ")
        + fmt_p(row["p_value"])
    )
    coefficients, _ = data.query_regression(con)
    return {
        "views_by_verified_means": Figure(
            "views_by_verified_means",
            group_means_chart(group_means, subtitle),
            "Mean views of each verified status, with the 95% confidence interval of each "
            "mean (t distribution).",
            group_means[["verified_status", "videos", "mean_views", "ci_low", "ci_high"]],
            {"mean_views": ",.1f", "ci_low": ",.1f", "ci_high": ",.1f", "videos": ",d"},
            relations=(data.GROUP_MEANS, data.HYPOTHESIS_TESTS),
        ),
        "verified_regression": Figure(
            "verified_regression",
            odds_ratio_chart(coefficients),
            "Odds ratios of the logistic regression of a verified account (above 1: more "
            "likely verified), from <code>ml.verified_regression_coefficients</code>.",
            coefficients,
            {"coefficient": ".4f", "odds_ratio": ".4f"},
            relations=(data.REGRESSION_COEFFICIENTS,),
        ),
    }


def collect_drift(con: duckdb.DuckDBPyConnection, facts: Facts) -> pd.DataFrame | None:
    """The drift rows of the last scoring run (`ml.score_drift`), or None before any."""
    if not data.relation_exists(con, data.SCORE_DRIFT):
        return None
    drift = data.last_drift(con)
    if drift.empty:
        return None
    mode = "a"
    if data.relation_exists(con, data.SCORING_RUNS):
        mode = data.scoring_mode(con, drift["scored_at"].iloc[0]) or mode
    facts.add("drift_videos", int(drift["videos"].iloc[0]))
    facts.add("drift_run_mode", mode, str)
    facts.add("drift_scored_at", str(drift["run_time"].iloc[0]), str)
    facts.add("drift_features", len(drift))
    facts.add("drift_drifted", int((drift["above threshold"] == "drifted").sum()))
    return drift.drop(columns=["videos", "run_time", "scored_at"])
