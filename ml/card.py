"""The model card (`artifacts/model_card.md`), written from a run's metrics document."""

from __future__ import annotations

from typing import Any

METRIC_COLUMNS = ("precision", "recall", "f1", "accuracy", "roc_auc", "pr_auc", "brier")


def _number(value: float | None, digits: int = 4) -> str:
    """A metric for a table cell ('n/a' when undefined)."""
    return "n/a" if value is None else f"{value:.{digits}f}"


def metrics_table(metrics: dict[str, Any], splits: tuple[str, ...]) -> str:
    """Markdown table: one row per model and split, with the confusion matrix."""
    header = (
        "| model | split | precision | recall | F1 | accuracy | ROC-AUC | PR-AUC | Brier "
        "| TN | FP | FN | TP |"
    )
    lines = [header, "|" + "---|" * 13]
    for name, model in metrics["models"].items():
        for split in splits:
            values = model["metrics"][split]
            matrix = values["confusion_matrix"]
            cells = [name + (" (champion)" if name == metrics["champion"] else ""), split]
            cells += [_number(values[column]) for column in METRIC_COLUMNS]
            cells += [
                f"{matrix[key]:,}"
                for key in ("true_negative", "false_positive", "false_negative", "true_positive")
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def shortcuts_section(shortcuts: dict[str, Any]) -> str:
    """What two one-line rules achieve on this data, and what that means."""
    views = shortcuts["views_rule"]
    longest = shortcuts["openings"][-1]
    pure = [item["first_words"] for item in shortcuts["openings"] if item["lookup_accuracy"] == 1]
    openings_verdict = (
        f"Each opening of {pure[0]} word(s) belongs to one class only: the first {pure[0]} "
        f"word(s) alone tell the label of every one of the {views['videos']:,} videos."
        if pure
        else "No opening length tried tells the label of every video on its own."
    )
    rows = "\n".join(
        f"| first {item['first_words']} word(s) | {item['openings']:,} | "
        f"{item['single_class_openings']:,} | {item['lookup_accuracy']:.4f} |"
        for item in shortcuts["openings"]
    )
    return f"""## Shortcuts this data allows

Measured on all {views["videos"]:,} labeled videos of the training mart:

- **Views rule.** `{views["rule"]}` alone is {views["accuracy"]:.2%} accurate
  ({views["false_claims"]:,} opinions called claims, {views["missed_claims"]:,} claims missed).
- **Opening words.** Grouping transcripts by their first words and predicting each group's
  majority class (in-sample, so an upper bound). {openings_verdict}

| opening | distinct openings | openings seen in one class only | accuracy of the lookup |
|---|---|---|---|
{rows}

What this means for real use: in this export the label is almost a function of surface features.
The most frequent {longest["first_words"]}-word openings are "{longest["top_claim_opening"]}"
(only ever a claim) and "{longest["top_opinion_opening"]}" (only ever an opinion), and the
median claim has
{views["median_views_claims"]:,.0f} views against {views["median_views_opinions"]:,.0f} for the
median opinion. Near-perfect scores here measure how well a model learns those regularities, not
how well it recognises a claim. New videos will not all follow the export's templates, and views
accumulate after posting, so the views rule says nothing at upload and may reflect how the export
was assembled rather than what a claim is. Expect lower accuracy on live data; measure it on
moderators' decisions before relying on the ranking.
"""


def render(metrics: dict[str, Any]) -> str:
    """The full model card as Markdown."""
    data = metrics["data"]
    champion = metrics["models"][metrics["champion"]]
    split_rows = ", ".join(f"{name} {rows:,}" for name, rows in data["split_rows"].items())
    sample = (
        f" A stratified sample (seed {metrics['seed']}) of the {data['available_rows']:,} such "
        f"videos in the mart: training reads at most {data['sample_rows']:,}; the others are "
        "`unsplit` in `ml.claim_predictions`."
        if data["rows"] < data.get("available_rows", data["rows"])
        else ""
    )
    models = "\n".join(
        f"- **{name}** ({model['title']}): {model['description']} Reads: "
        f"{', '.join(f'`{column}`' for column in model['columns'])}. Chosen by CV: "
        f"`{model['params']}`."
        + (" Grid cut short by its time budget." if model["grid_truncated"] else "")
        for name, model in metrics["models"].items()
    )
    importance = "\n".join(
        f"- **{name}**: "
        + ", ".join(
            f"`{item['feature']}` {item['importance']:.4f}"
            for item in sorted(model["permutation_importance"], key=lambda i: -i["importance"])[:3]
        )
        for name, model in metrics["models"].items()
    )
    return f"""# Model card: claim classifier for reported TikTok videos

Run `{metrics["run_id"]}`, trained {metrics["trained_at"]} (git `{metrics["git_sha"] or "unknown"}`,
seed {metrics["seed"]}{", fast mode" if metrics["fast"] else ""}). Champion:
**{metrics["champion"]}** ({champion["title"]}), saved as `champion.skops`.

## Intended use

Decision support for the moderators who work through the backlog of reported videos: the model
estimates how likely each video is to contain a claim (rather than an opinion), and
`ml.claim_predictions.review_priority` orders the queue so likely claims are reviewed first.
Humans stay in the loop: a moderator reviews every video and makes every decision; the model
never removes, labels or clears a video by itself. "Claim" means the video asserts a fact, not
that the fact is false. Not intended for automated enforcement, for judging truth, or for videos
unlike this export (other languages, other platforms, transcripts not written this way).

## Data

`{data["relation"]}` in the dbt warehouse: {data["rows"]:,} labeled videos with a transcript and
all five engagement counts ({data["claims"]:,} claims).{sample} Fingerprint `{data["fingerprint"]}`.
One split, stratified on the label with seed {metrics["seed"]}: {split_rows}. Every video's split
is in `ml.video_splits` (and in `ml.claim_predictions.split`). Videos without a label or with
missing features are not trained on; `python -m ml score` still ranks them.

## Models and features

{models}

Fitted on the training rows only (transformers included, so the phrase vocabulary never sees a
validation or test transcript), tuned by {metrics["selection"]["cv_folds"]}-fold cross-validation
on the training rows.

## Selection

{metrics["selection"]["rule"]} (decision threshold {metrics["selection"]["decision_threshold"]}).
The test split was scored once, after the choice, and is reported as is.

## Metrics

{metrics_table(metrics, ("validation", "test"))}

Permutation importance on validation (drop in PR-AUC when a column is shuffled; top three):

{importance}

{shortcuts_section(metrics["shortcuts"])}
## Limits

- One export, one point in time; no monitoring of drift is built in.
- Probabilities are close to 0 or 1 because the classes are this separable here; treat them as a
  ranking, not as calibrated odds on live data (see `calibration.png`).
- The at-upload model shows what is possible without engagement; the models with counts rely on
  numbers that only exist after a video has been watched.
- Labels come from the export; any labelling error there is learned as is.
"""
