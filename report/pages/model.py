"""The model and statistics page, and the model's part of the summary, from the `ml` tables."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ml.charts import importance_chart
from report import data
from report.facts import Facts
from report.figures import Figure, Page, Section, html_table, tile
from report.pages.model_figures import (
    add_summary_facts,
    candidates_table,
    capture_figure,
    collect_drift,
    performance_figures,
    statistics_figures,
)


def p_clause(facts: Facts) -> str:
    """'p = 2.6 x 10^-120', or 'p below 10^-307' when the p-value underflows to 0."""
    value = facts.value("t_test_p_value")
    return (
        f"p {facts.html('t_test_p_value')}" if value == 0 else f"p = {facts.html('t_test_p_value')}"
    )


@dataclass
class ModelSection:
    """What the report shows of the `ml` tables: figures, tables and the model's facts."""

    figures: dict[str, Figure]
    models: pd.DataFrame
    regression_metrics: pd.DataFrame | None
    has_statistics: bool
    has_importances: bool
    drift: pd.DataFrame | None = None

    def tiles(self, facts: Facts) -> list[str]:
        """Headline tiles for the summary."""
        tiles = [
            tile(facts.html("test_recall"), "of test claims caught by the model", "good"),
            tile(facts.html("test_precision"), "of its flagged test videos are claims", "good"),
        ]
        if self.has_statistics:
            tiles.append(tile(facts.html("t_test_p_value"), "p-value, views by verified status"))
        return tiles

    def summary_sections(self, facts: Facts) -> list[Section]:
        """The summary's sections on the classifier, the backlog and the hypothesis test."""
        f = facts.html
        model = f"""
<ul class="prose">
<li><strong>Performance.</strong> The champion, {f("model_title")}, was chosen on the validation
split ({f("selection_rule")}). On the {f("test_videos")} held-out test videos, scored once, it
found {f("test_true_positive")} of {f("test_claims")} claims (recall {f("test_recall")}) and
flagged {f("test_false_positive")} opinions as claims (precision {f("test_precision")});
it missed {f("test_false_negative")} claims. These figures are in
<code>ml.evaluation_summary</code>, which <code>ml score</code> computes from its
predictions joined to the labels. The original analysis's model, a random
forest, missed {f("baseline_test_false_negative")} test claims here (recall
{f("baseline_test_recall")}).</li>
<li><strong>The backlog.</strong> Reviewing the test queue in the model's order, moderators who
look at the first {f("top_n")} videos (as many as there are claims) find
{f("top_n_caught")} claims ({f("top_n_caught_share")} of them); in random order they would
expect about {f("top_n_random_caught")}. The queue ranks all {f("queue_videos")} videos:
{f("queue_flagged")} flagged as likely claims come first; {f("queue_unscored")} that lack a
feature the model needs get no score and come next, for a person to judge. Of the
{f("backlog_unlabeled")} unlabeled videos, {f("backlog_unlabeled_flagged")} are flagged and
{f("backlog_unlabeled_unscored")} cannot be scored.</li>
</ul>"""
        sections = [
            Section(
                "The classifier and the backlog",
                model,
                [self.figures["review_queue_capture"]],
                anchor="model",
            )
        ]
        if self.has_statistics:
            verdict = (
                "the difference in mean views is statistically significant; "
                f"{f('t_test_higher_group')} accounts' videos get more views on average."
                if facts.value("t_test_decision") == "rejected"
                else "the data show no significant difference in mean views."
            )
            sections.append(
                Section(
                    "The hypothesis test",
                    f"""
<p class="prose">Do videos of verified and unverified accounts get different mean views?
Welch's two-sample t-test (H0: the means are equal; alpha {f("t_test_alpha")}):
verified accounts' videos average {f("t_test_mean_verified")} views, unverified
{f("t_test_mean_not_verified")}; t = {f("t_test_statistic")} with
{f("t_test_degrees_of_freedom")} degrees of freedom, {p_clause(facts)}.
The null hypothesis is {f("t_test_decision")}: {verdict}
A difference in means is not a cause: unverified accounts post most claims, and claims draw
the views.</p>""",
                    anchor="hypothesis-test",
                )
            )
        return sections

    def limit_items(self, facts: Facts) -> str:
        """Model-specific limits for the ethics list."""
        return (
            "<li><strong>Near-perfect scores describe this dataset.</strong> "
            f"Test recall {facts.html('test_recall')} and precision "
            f"{facts.html('test_precision')} come from a teaching dataset whose classes are "
            "separated by their wording and their views. Expect lower figures on real reports; "
            "measure them on a fresh labeled sample before relying on the order, and keep "
            "checking for drift.</li>"
        )

    def drift_section(self, facts: Facts) -> Section:
        """The drift table of the last scoring run."""
        f = facts.html
        table = html_table(
            self.drift if self.drift is not None else pd.DataFrame(),
            {"PSI": ".4f", "threshold": ".2f"},
        )
        return Section(
            "Drift in the last scoring run",
            "<p class='prose'>The population stability index (PSI) of each feature, of the "
            "transcript opening's novelty and of the score, between the training rows and the "
            f"{f('drift_videos')} videos the last scoring run scored ({f('drift_run_mode')} run "
            f"of {f('drift_scored_at')}; an incremental run scores only the videos new or "
            "changed since the run before, so this describes the newest exports, not the "
            f"whole warehouse). {f('drift_drifted')} of {f('drift_features')} columns exceed "
            "the threshold, above which <code>score</code> warns that the scores are less "
            "reliable. From <code>ml.score_drift</code>.</p>" + table,
            anchor="drift",
        )

    def page(self, facts: Facts) -> Page:
        """The model and statistics page."""
        f = facts.html
        order = ["confusion_matrix", "precision_recall", "calibration", "feature_importance"]
        performance = [self.figures[key] for key in order if key in self.figures]
        run_id = html.escape(str(facts.value("model_run_id")))
        model_table = html_table(self.models)
        sections = [
            Section(
                "The champion on the held-out test split",
                f"<p class='prose'>{f('model_title')} (run <code>{run_id}</code>): "
                f"recall {f('test_recall')}, precision {f('test_precision')}, accuracy "
                f"{f('test_accuracy')} on {f('test_videos')} test videos. Curves and matrix are "
                "computed by <code>python -m ml score</code> into "
                "<code>ml.evaluation_*</code>.</p>",
                performance,
            ),
            Section(
                "Every candidate",
                "<p class='prose'>Test-split metrics of each candidate of the run, as "
                "recorded in <code>ml.model_runs</code>. The champion is chosen on validation, "
                "never on test.</p>" + model_table,
            ),
        ]
        if self.drift is not None:
            sections.append(self.drift_section(facts))
        if self.has_statistics:
            regression = (
                html_table(
                    self.regression_metrics,
                    {"precision": ".4f", "recall": ".4f", "F1": ".4f", "accuracy": ".4f"},
                )
                if self.regression_metrics is not None
                else ""
            )
            sections.append(
                Section(
                    "Statistics",
                    f"<p class='prose'>Welch's t-test of mean views by verified status: t = "
                    f"{f('t_test_statistic')}, {p_clause(facts)}. Mean views, with each "
                    "group's own 95% confidence interval: verified "
                    f"{f('t_test_mean_verified')} ({f('ci_low_verified')} to "
                    f"{f('ci_high_verified')}), unverified {f('t_test_mean_not_verified')} "
                    f"({f('ci_low_not_verified')} to {f('ci_high_not_verified')}). The regression "
                    "relates a verified account to the video's duration, claim status, author "
                    "ban status and views; its held-out results follow the chart.</p>",
                    [
                        self.figures[key]
                        for key in ("views_by_verified_means", "verified_regression")
                    ],
                )
            )
            sections.append(Section("Regression on held-out videos", regression))
        return Page(
            slug="model",
            nav_title="Model & statistics",
            title="The claims classifier and the statistics",
            lead=(
                "<p class='lead'>How well the model separates claims from opinions, what its "
                "review queue catches, and the original analysis's two statistical steps.</p>"
            ),
            sections=sections,
        )


def _read_metrics_file(artifacts_dir: Path, run_id: str) -> dict[str, Any] | None:
    """`metrics.json` if it belongs to the scored run, else None."""
    path = artifacts_dir / "metrics.json"
    if not path.is_file():
        return None
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return content if content.get("run_id") == run_id else None


def collect_model(
    con: duckdb.DuckDBPyConnection, artifacts_dir: Path, facts: Facts
) -> ModelSection | None:
    """Facts and figures of the `ml` tables, or None where training or scoring has not run."""
    if not data.all_exist(con, data.MODEL_TABLES):
        return None
    summary = data.evaluation_summary(con)
    if summary is None:
        return None
    run_id, champion = summary["model_run_id"], summary["model_name"]
    metrics_file = _read_metrics_file(artifacts_dir, run_id)
    titles = {
        name: details.get("title", name)
        for name, details in (metrics_file or {}).get("models", {}).items()
    }
    title = titles.get(champion, champion)
    facts.add("model_run_id", run_id, str)
    facts.add("model_name", champion, str)
    facts.add("model_title", title, str)
    selection = (metrics_file or {}).get("selection", {})
    facts.add(
        "selection_rule",
        "highest validation recall with validation precision of at least "
        f"{selection.get('precision_floor', 'the floor')}",
        str,
    )
    models = candidates_table(data.model_runs(con, run_id), titles, facts)
    add_summary_facts(summary, facts)
    figures = {
        "review_queue_capture": capture_figure(data.capture_curve(con, run_id), summary, facts),
        **performance_figures(con, run_id, title, facts),
    }
    importances = data.feature_importance(con, run_id)
    if len(importances):
        importances["model"] = importances.pop("model_name").map(
            lambda name: titles.get(name, name)
        )
        figures["feature_importance"] = Figure(
            "feature_importance",
            importance_chart(importances),
            "Permutation importance of each input column on the validation split: how much "
            "PR-AUC drops when the column is shuffled (from <code>ml.feature_importance</code>).",
            wide=True,
            relations=(data.FEATURE_IMPORTANCE,),
        )
    regression_metrics = None
    t_test = data.welch_t_test(con) if data.all_exist(con, data.STATISTICS_TABLES) else None
    if t_test is not None:
        figures.update(statistics_figures(con, t_test, facts))
        regression_metrics = data.query_regression(con)[1].rename(
            columns={"class_label": "class", "f1": "F1", "support": "videos"}
        )
    return ModelSection(
        figures=figures,
        models=models,
        regression_metrics=regression_metrics,
        has_statistics=t_test is not None,
        has_importances=bool(len(importances)),
        drift=collect_drift(con, facts),
    )
