"""`python -m ml stats`: the original analysis's two statistical steps, redone without its leak.

1. Welch's two-sample t-test: do videos by verified and unverified accounts get different mean
   view counts? DuckDB computes each group's count, mean and variance; SciPy turns them into t
   and p (Welch-Satterthwaite degrees of freedom).
2. Logistic regression of `verified_status` on video duration, claim status, author ban status
   and view count. The like count is left out: it moves with the view count (their correlation is
   reported), so both together would make the coefficients unstable. The verified minority is
   upsampled on the training split only, after splitting; the original upsampled first, so its
   verified test rows were also training rows.

Results go to `ml.hypothesis_tests`, `ml.group_means` (each group's mean views with its own
t-based confidence interval), `ml.verified_regression_coefficients` and
`ml.verified_regression_metrics` (replaced on each run) and to `artifacts/statistics.md`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import stats as scipy_stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.utils import resample

from ml import config, db
from ml.errors import MlError

ALPHA = 0.05
HELD_OUT_FRACTION = 0.25
VIEWS_UNIT = 100_000
GROUPS = ("verified", "not verified")
CONFIDENCE = 0.95


@dataclass
class StatisticsResult:
    """The t-test row, the regression's coefficients and held-out metrics."""

    t_test: dict[str, Any]
    group_means: pd.DataFrame
    coefficients: pd.DataFrame
    held_out: pd.DataFrame
    notes: dict[str, Any]


def welch_from_moments(
    n_a: int, mean_a: float, var_a: float, n_b: int, mean_b: float, var_b: float
) -> tuple[float, float, float]:
    """Welch's t statistic, degrees of freedom and two-sided p-value from group moments."""
    share_a, share_b = var_a / n_a, var_b / n_b
    result = scipy_stats.ttest_ind_from_stats(
        mean_a, math.sqrt(var_a), n_a, mean_b, math.sqrt(var_b), n_b, equal_var=False
    )
    df = (share_a + share_b) ** 2 / (share_a**2 / (n_a - 1) + share_b**2 / (n_b - 1))
    return float(result.statistic), float(df), float(result.pvalue)


def view_moments(connection: Any, relation: str) -> dict[str, tuple[int, float, float]]:
    """(videos, mean, sample variance) of `video_view_count` per verified status."""
    rows = connection.execute(
        f"""
        select
            verified_status,
            count(video_view_count),
            avg(video_view_count),
            var_samp(video_view_count)
        from {db.quote_relation(relation)}
        where video_view_count is not null
        group by 1
        """
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def group_means(
    moments: dict[str, tuple[int, float, float]], confidence: float = CONFIDENCE
) -> pd.DataFrame:
    """Each verified status's mean views with its t-based confidence interval:
    mean +/- t(1 - alpha/2, n - 1) x sd / sqrt(n) (verified first)."""
    rows = []
    for status in sorted(moments, reverse=True):
        n, mean, variance = moments[status]
        sd = math.sqrt(variance) if variance is not None else float("nan")
        half = scipy_stats.t.ppf(0.5 + confidence / 2, max(n - 1, 1)) * sd / math.sqrt(n)
        rows.append(
            {
                "verified_status": status,
                "videos": int(n),
                "mean_views": float(mean),
                "sd_views": sd,
                "ci_low": float(mean - half),
                "ci_high": float(mean + half),
                "confidence": confidence,
            }
        )
    return pd.DataFrame(rows)


def views_t_test(
    connection: Any, relation: str, moments: dict[str, tuple[int, float, float]] | None = None
) -> dict[str, Any]:
    """Welch's t-test of `video_view_count` between verified and unverified accounts."""
    if moments is None:
        moments = view_moments(connection, relation)
    if any(group not in moments or moments[group][0] < 2 for group in GROUPS):
        raise MlError(f"{relation} needs at least two videos with views per verified status")
    (n_a, mean_a, var_a), (n_b, mean_b, var_b) = (moments[group] for group in GROUPS)
    t, df, p = welch_from_moments(n_a, mean_a, var_a, n_b, mean_b, var_b)
    reject = p < ALPHA
    higher = "verified" if mean_a > mean_b else "unverified"
    conclusion = (
        f"p = {p:.3g} < {ALPHA}: reject H0. The mean view count differs between videos of "
        f"verified and unverified accounts ({mean_a:,.0f} vs {mean_b:,.0f} views); "
        f"videos of {higher} accounts get more views on average."
        if reject
        else f"p = {p:.3g} >= {ALPHA}: H0 stands; the data show no difference in mean views."
    )
    return {
        "test": "welch_t_test",
        "relation": relation,
        "measure": "video_view_count",
        "group_a": GROUPS[0],
        "group_b": GROUPS[1],
        "null_hypothesis": "the two groups' mean view counts are equal",
        "alternative_hypothesis": "the two groups' mean view counts differ (two-sided)",
        "alpha": ALPHA,
        "n_a": int(n_a),
        "n_b": int(n_b),
        "mean_a": float(mean_a),
        "mean_b": float(mean_b),
        "t_statistic": t,
        "degrees_of_freedom": df,
        "p_value": p,
        "reject_null": reject,
        "conclusion": conclusion,
    }


def verified_regression(
    connection: Any, relation: str, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Fit verified status on duration, claim, ban status and views; score a held-out split."""
    table = db.quote_relation(relation)
    frame = connection.execute(
        f"""
        select
            verified_status = 'verified' as is_verified,
            cast(video_duration_sec as double) as duration_sec,
            cast(is_claim as double) as is_claim,
            cast(author_ban_status = 'under review' as double) as ban_under_review,
            cast(author_ban_status = 'banned' as double) as ban_banned,
            video_view_count / {VIEWS_UNIT} as views_per_100k
        from {table}
        order by video_id
        """
    ).df()
    likes_views = db.fetch_row(
        connection, f"select corr(video_like_count, video_view_count) from {table}"
    )[0]
    labels = frame.pop("is_verified").to_numpy(dtype=bool)
    if min(labels.sum(), (~labels).sum()) < 4:
        raise MlError(f"{relation} needs verified and unverified videos for the regression")

    train, held_out = train_test_split(
        np.arange(len(labels)), test_size=HELD_OUT_FRACTION, stratify=labels, random_state=seed
    )
    verified, unverified = train[labels[train]], train[~labels[train]]
    minority_class = GROUPS[0] if len(verified) <= len(unverified) else GROUPS[1]
    minority, majority = (
        (verified, unverified) if minority_class == GROUPS[0] else (unverified, verified)
    )
    upsampled = resample(minority, replace=True, n_samples=len(majority), random_state=seed)
    balanced = np.concatenate([majority, upsampled])

    model = LogisticRegression(C=np.inf, max_iter=5000)
    model.fit(frame.iloc[balanced], labels[balanced])
    units = {
        "duration_sec": "per second of video",
        "is_claim": "claim vs opinion",
        "ban_under_review": "under review vs active",
        "ban_banned": "banned vs active",
        "views_per_100k": f"per {VIEWS_UNIT:,} views",
    }
    coefficients = pd.DataFrame(
        {
            "term": ["intercept", *frame.columns],
            "unit": ["odds at all-zero features", *(units[c] for c in frame.columns)],
            "coefficient": [float(model.intercept_[0]), *map(float, model.coef_[0])],
        }
    )
    coefficients["odds_ratio"] = np.exp(coefficients["coefficient"])

    predicted = model.predict(frame.iloc[held_out])
    truth = labels[held_out]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=[True, False], zero_division=0.0
    )
    held_out_metrics = pd.DataFrame(
        {
            "class_label": list(GROUPS),
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": support.astype(np.int64),
            "accuracy": float(accuracy_score(truth, predicted)),
        }
    )
    notes = {
        "relation": relation,
        "like_view_correlation": float(likes_views),
        "training_rows": len(train),
        "training_rows_balanced": len(balanced),
        "held_out_rows": len(held_out),
        "minority_class": minority_class,
        "minority_training_rows": len(minority),
    }
    return coefficients, held_out_metrics, notes


def markdown(result: StatisticsResult) -> str:
    """`artifacts/statistics.md`: both analyses in words and tables."""
    t = result.t_test
    notes = result.notes
    coefficient_rows = "\n".join(
        f"| {row.term} | {row.unit} | {row.coefficient:.4g} | {row.odds_ratio:.4g} |"
        for row in result.coefficients.itertuples()
    )
    metric_rows = "\n".join(
        f"| {row.class_label} | {row.precision:.4f} | {row.recall:.4f} | {row.f1:.4f} "
        f"| {row.support:,} |"
        for row in result.held_out.itertuples()
    )
    accuracy = float(result.held_out["accuracy"].iloc[0])
    return f"""# Statistics

## Do verified and unverified accounts' videos get different view counts?

Welch's two-sample t-test on `video_view_count` in `{t["relation"]}` (unequal variances).

- H0: {t["null_hypothesis"]}. H1: {t["alternative_hypothesis"]}. Alpha {t["alpha"]}.
- {t["group_a"]}: {t["n_a"]:,} videos, mean {t["mean_a"]:,.1f} views;
  {t["group_b"]}: {t["n_b"]:,} videos, mean {t["mean_b"]:,.1f} views.
- t = {t["t_statistic"]:.4f}, df = {t["degrees_of_freedom"]:.1f}, p = {t["p_value"]:.4g}.
- {t["conclusion"]}

## What goes with a verified account? Logistic regression

`verified_status` (verified = 1) on video duration, claim status, author ban status and view
count, from `{notes["relation"]}`. The like count is left out: its correlation with the view
count is {notes["like_view_correlation"]:.3f}, and two predictors that move together make each
other's coefficients unstable. Split {1 - HELD_OUT_FRACTION:.0%} / {HELD_OUT_FRACTION:.0%},
stratified on the target; only then were the {notes["minority_training_rows"]:,} training rows
of the minority class ({notes["minority_class"]}) upsampled with replacement to match the other
class ({notes["training_rows"]:,} training rows became {notes["training_rows_balanced"]:,}).
The {notes["held_out_rows"]:,} held-out rows were never resampled. Unpenalised fit; no standard
errors are given, since duplicated rows make them meaningless.

| term | unit | coefficient | odds ratio |
|---|---|---|---|
{coefficient_rows}

An odds ratio above 1 raises the odds that the video's account is verified, per unit shown.

Held-out results (accuracy {accuracy:.4f}):

| class | precision | recall | F1 | videos |
|---|---|---|---|---|
{metric_rows}
"""


def run_statistics(
    db_path: Path,
    artifacts_dir: Path,
    videos_relation: str = config.VIDEOS_RELATION,
    features_relation: str = config.FEATURES_RELATION,
    seed: int = config.SEED,
) -> StatisticsResult:
    """Compute both analyses, write the `ml` tables and `artifacts/statistics.md`."""
    with db.reading(db_path) as connection:
        for relation in (videos_relation, features_relation):
            db.require_relation(connection, relation, db_path)
        moments = view_moments(connection, videos_relation)
        t_test = views_t_test(connection, videos_relation, moments)
        coefficients, held_out, notes = verified_regression(connection, features_relation, seed)
    result = StatisticsResult(t_test, group_means(moments), coefficients, held_out, notes)

    computed_at = pa.scalar(datetime.now(UTC), pa.timestamp("us", tz="UTC"))
    tables = {
        "hypothesis_tests": pa.Table.from_pylist([t_test]),
        "group_means": pa.Table.from_pandas(result.group_means, preserve_index=False),
        "verified_regression_coefficients": pa.Table.from_pandas(
            coefficients, preserve_index=False
        ),
        "verified_regression_metrics": pa.Table.from_pandas(held_out, preserve_index=False),
    }
    with db.writing(db_path, "python -m ml stats") as connection:
        for name, table in tables.items():
            stamped = table.append_column(
                "computed_at", pa.array([computed_at.as_py()] * table.num_rows, computed_at.type)
            )
            db.replace_table(connection, name, stamped)
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    (artifacts_dir / config.STATISTICS_FILE).write_text(markdown(result))
    return result
