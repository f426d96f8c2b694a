"""`ml.evaluation_*` and `ml.group_means` hold what an independent computation gives.

The checks recompute each table from `ml.claim_predictions` joined to the labels: with DuckDB
(the SQL the report used to run), scikit-learn, or NumPy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import TinyRun
from scipy import stats as scipy_stats
from sklearn.metrics import confusion_matrix, precision_recall_curve

from ml.stats import run_statistics

LABELED_TEST = """
    select
        p.video_id, p.split, p.review_priority, p.claim_probability, p.predicted_is_claim,
        v.is_claim, coalesce(cast(v.video_view_count as double), 0) as views
    from ml.claim_predictions as p
    inner join marts.videos as v using (video_id)
    where v.is_labeled and p.claim_probability is not null
"""


def read(db_path: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).df()


def test_confusion_matches_sklearn(tiny_run: TinyRun) -> None:
    labeled = read(tiny_run.db_path, LABELED_TEST)
    table = read(tiny_run.db_path, "select * from ml.evaluation_confusion")
    assert set(table["model_run_id"]) == {tiny_run.scoring.model_run_id}
    assert len(table) == 8
    for split in ("validation", "test"):
        rows = labeled[labeled["split"] == split]
        (tp, fn), (fp, tn) = confusion_matrix(
            rows["is_claim"].astype(bool), rows["predicted_is_claim"].astype(bool), labels=[1, 0]
        )
        cells = table[table["split"] == split].set_index(["actual", "predicted"])["videos"]
        assert (cells["claim", "claim"], cells["claim", "opinion"]) == (tp, fn)
        assert (cells["opinion", "claim"], cells["opinion", "opinion"]) == (fp, tn)
        assert cells.sum() == len(rows) > 0


def test_precision_recall_points_lie_on_the_curve(tiny_run: TinyRun) -> None:
    test = read(tiny_run.db_path, LABELED_TEST + " and p.split = 'test'")
    labels = test["is_claim"].to_numpy(dtype=bool)
    probability = test["claim_probability"].to_numpy(dtype=float)
    table = read(tiny_run.db_path, "select * from ml.evaluation_precision_recall")
    precision, recall, thresholds = precision_recall_curve(labels, probability)
    assert len(table) == min(len(precision), 200)
    with_threshold = table.dropna(subset=["threshold"])
    for row in with_threshold.itertuples():
        flagged = probability >= row.threshold
        assert row.flagged == flagged.sum()
        assert row.caught == (flagged & labels).sum()
        assert row.precision == pytest.approx(labels[flagged].mean())
        assert row.recall == pytest.approx((flagged & labels).sum() / labels.sum())
    # Both ends of scikit-learn's curve are kept.
    assert table["threshold"].min() == pytest.approx(thresholds[0])
    assert table["recall"].max() == pytest.approx(recall[0])
    assert table["threshold"].is_monotonic_decreasing or table["threshold"].isna().iloc[0]


def test_calibration_bins_are_tenths(tiny_run: TinyRun) -> None:
    test = read(tiny_run.db_path, LABELED_TEST + " and p.split = 'test'")
    table = read(tiny_run.db_path, "select * from ml.evaluation_calibration order by bin")
    bins = pd.cut(test["claim_probability"], np.linspace(0, 1, 11), include_lowest=True)
    expected = (
        test.assign(bin=bins.cat.codes)
        .groupby("bin")
        .agg(
            mean_predicted=("claim_probability", "mean"),
            observed_share=("is_claim", "mean"),
            videos=("is_claim", "size"),
        )
        .reset_index()
    )
    assert table["bin"].tolist() == expected["bin"].tolist()
    assert table["videos"].tolist() == expected["videos"].tolist()
    np.testing.assert_allclose(table["mean_predicted"], expected["mean_predicted"])
    np.testing.assert_allclose(table["observed_share"], expected["observed_share"])


# The capture curve as the report computed it in DuckDB before the table existed.
CAPTURE_SQL = f"""
with
labeled as ({LABELED_TEST} and p.split = 'test'),
ranked as (
    select 'expected harm (the queue)' as ordering, is_claim, views,
        row_number() over (order by review_priority) as position, count(*) over () as n
    from labeled
    union all
    select 'probability only', is_claim, views,
        row_number() over (order by claim_probability desc, video_id), count(*) over ()
    from labeled
),
per_percent as (
    select ordering, cast(ceil(100.0 * position / n) as integer) as percent_reviewed,
        max(position) as reviewed, count_if(is_claim) as claims,
        sum(case when is_claim then views else 0 end) as claim_views
    from ranked group by 1, 2
)
select ordering, percent_reviewed, reviewed,
    sum(claims) over (partition by ordering order by percent_reviewed) as caught,
    sum(claim_views) over (partition by ordering order by percent_reviewed)
        / sum(claim_views) over (partition by ordering) as caught_views_share
from per_percent
order by 1, 2
"""


def test_capture_curve_matches_the_sql_the_report_ran(tiny_run: TinyRun) -> None:
    expected = read(tiny_run.db_path, CAPTURE_SQL)
    table = read(
        tiny_run.db_path,
        "select * from ml.evaluation_capture where percent_reviewed > 0 order by ordering, "
        "percent_reviewed",
    )
    assert len(table) == len(expected) > 2
    assert table["ordering"].tolist() == expected["ordering"].tolist()
    assert table["percent_reviewed"].tolist() == expected["percent_reviewed"].tolist()
    assert table["reviewed"].tolist() == expected["reviewed"].tolist()
    assert table["caught"].tolist() == expected["caught"].tolist()
    np.testing.assert_allclose(table["caught_views_share"], expected["caught_views_share"])
    starts = read(tiny_run.db_path, "select * from ml.evaluation_capture where reviewed = 0")
    assert len(starts) == 2 and (starts["caught"] == 0).all()


def test_summary_figures(tiny_run: TinyRun) -> None:
    test = read(tiny_run.db_path, LABELED_TEST + " and p.split = 'test'")
    everything = read(tiny_run.db_path, "select * from ml.claim_predictions")
    summary = read(tiny_run.db_path, "select * from ml.evaluation_summary")
    assert len(summary) == 1
    row = summary.iloc[0]
    labels = test["is_claim"].to_numpy(dtype=bool)
    probability = test["claim_probability"].to_numpy(dtype=float)
    assert row["videos"] == len(test) and row["claims"] == labels.sum()
    assert row["brier"] == pytest.approx(np.mean((probability - labels) ** 2))
    first = test.sort_values("review_priority").head(int(labels.sum()))
    assert row["top_n"] == labels.sum()
    assert row["top_n_caught"] == first["is_claim"].sum()
    assert row["queue_videos"] == len(everything)
    assert row["queue_unscored"] == everything["claim_probability"].isna().sum() > 0
    backlog = everything[everything["split"] == "unlabeled"]
    assert row["backlog_unlabeled"] == len(backlog) > 0
    assert row["backlog_unlabeled_flagged"] == backlog["predicted_is_claim"].fillna(False).sum()


def test_group_means_carry_t_intervals(tiny_run: TinyRun, tmp_path: Path) -> None:
    db_path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_run.db_path, db_path)
    run_statistics(db_path, tmp_path / "artifacts")
    videos = read(db_path, "select verified_status, video_view_count from marts.videos")
    table = read(db_path, "select * from ml.group_means").set_index("verified_status")
    assert list(table.index) == ["verified", "not verified"]
    for status, row in table.iterrows():
        views = videos.loc[videos["verified_status"] == status, "video_view_count"].dropna()
        views = views.to_numpy(dtype=float)
        low, high = scipy_stats.t.interval(
            0.95, len(views) - 1, loc=views.mean(), scale=scipy_stats.sem(views)
        )
        assert row["videos"] == len(views)
        assert row["mean_views"] == pytest.approx(views.mean())
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))


def test_feature_importance_table_holds_the_runs_importances(tiny_run: TinyRun) -> None:
    table = read(tiny_run.db_path, "select * from ml.feature_importance")
    models = tiny_run.training.metrics["models"]
    assert set(table["run_id"]) == {tiny_run.training.metrics["run_id"]}
    expected = [
        (name, item["feature"], item["importance"])
        for name, details in models.items()
        for item in details["permutation_importance"]
    ]
    assert len(expected) > 0
    got = sorted(table[["model_name", "feature", "importance"]].itertuples(index=False, name=None))
    assert [row[:2] for row in got] == sorted(row[:2] for row in expected)
    np.testing.assert_allclose([row[2] for row in got], [row[2] for row in sorted(expected)])
