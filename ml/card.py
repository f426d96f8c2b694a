"""The model card (`artifacts/model_card.md`), written from a run's metrics document."""

from __future__ import annotations

from typing import Any

from ml import config

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


def _share(value: float | None) -> str:
    """A share for a table cell, to two decimals of a percent."""
    return "n/a" if value is None else f"{value:.2%}"


def abstention_section(section: dict[str, Any] | None) -> str:
    """Abstention, calibration, bands and priority: how the scorer knows when it does not know."""
    if not section:
        return ""
    chosen = section["novelty"]["chosen"]
    costs = section["costs"]
    low, high = section["review_band"]
    rows = []
    for setting, measured in section["settings"].items():
        for where, label in (
            ("test", "ordinary test split"),
            ("perturbation_suite", "perturbation suite"),
        ):
            result = measured[where]
            rows.append(
                f"| {setting} ({measured['model']}) | {label} | {result['rows']:,} | "
                f"{_number(result['recall_unflagged'])} | {_number(result['precision_unflagged'])} "
                f"| {_share(result['flagged_share'])} | {_share(result['buried_share'])} "
                f"({result['claims_buried']:,} of {result['claims']:,}) |"
            )
    kinds = []
    for kind, result in section["settings"]["with counts"]["perturbation_kinds"].items():
        kinds.append(
            f"| {kind} | {result['rows']:,} | {_share(result['flagged_share'])} | "
            f"{_share(result['buried_share'])} | {_number(result['recall_unflagged'])} | "
            f"{_number(result['precision_unflagged'])} |"
        )
    folds = section["novelty"]["folds"]
    unguarded = sum(fold["claims_buried"] for fold in folds) / max(
        sum(fold["claims"] for fold in folds), 1
    )
    calibration = "\n".join(
        f"- **{setting}** ({measured['model']}): Brier on test "
        f"{measured['brier_uncalibrated']:.5f} "
        f"uncalibrated, {measured['brier_calibrated']:.5f} calibrated; decision threshold "
        f"{measured['threshold']:.4f}."
        for setting, measured in section["settings"].items()
    )
    reliability = "\n".join(
        f"| {point['mean_predicted']:.3f} | {point['observed_share']:.3f} | {point['videos']:,} |"
        for point in section["settings"]["with counts"]["reliability"]
    )
    return f"""## Knowing when it does not know

**Method.** The models learned the export's framings, so the scorer measures how unfamiliar a
transcript's framing is before trusting an answer: the share of the unigrams and bigrams of its
first {chosen["opening_tokens"]} words (with a start-of-text marker) that occur in the openings of
fewer than two training transcripts. A video whose share exceeds {chosen["novelty_threshold"]:.3f}
gets `needs_review` with "unfamiliar wording". Why this signal: the label in this export rests on
the opening (see the shortcuts below), a rewritten framing changes exactly those n-grams while
the facts stay familiar, and an n-gram lookup is cheap, deterministic and explainable ("these words
were never seen"). A density score on the TF-IDF vectors would be dominated by the fact
vocabulary, which is shared by both classes.

**Tuning without peeking.** The opening length (3-6 words) and the threshold were chosen by
leave-framing-out cross-validation on the training rows ({len(folds)} group folds, a group being
the transcript's first two words, so a fold's held-out framings never occur in its training
rows): among settings flagging at most {section["familiar_flag_budget"]:.1%} of familiar
framings (a random fifth of each fold's training groups), the one burying the fewest held-out
claims. In those folds, without the guard, the champion's pipeline buried {unguarded:.2%} of the
held-out claims; with it, {chosen["buried_share"]:.2%}, flagging {chosen["familiar_flagged"]:.2%}
of familiar rows. The perturbation suite (`ml/perturb.py`: framings and edits written for the
purpose, never trained on) was then measured once, with {section["perturbation_rows"]:,} rewritten
test-split transcripts.

| setting | rows | videos | recall, unflagged | precision, unflagged | flagged | claims buried |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Targets: claims buried at most 5% on unseen framings, at most 2% flagged on the ordinary test
split, recall and precision on unflagged rows at least 0.999. "Without counts" treats every row
as just posted: the at-upload model scores it and the review band's reason is "missing counts".

Per perturbation (with counts):

| perturbation | videos | flagged | claims buried | recall, unflagged | precision, unflagged |
|---|---|---|---|---|---|
{chr(10).join(kinds)}

**Calibration.** Sigmoid calibration (`CalibratedClassifierCV`, 3 folds of the training rows).

{calibration}

Reliability diagram of the calibrated champion on the test split (`calibration.png`):

| mean predicted | observed share of claims | videos |
|---|---|---|
{reliability}

**Action bands from costs.** A missed claim costs {costs["missed_claim"]:g}, a false flag
{costs["false_flag"]:g}, a review {costs["review"]:g}, in units of one wrongly flagged opinion
(`python -m ml train --cost-missed-claim N --cost-false-flag N --cost-review N`; defaults
{config.COST_MISSED_CLAIM:g}, {config.COST_FALSE_FLAG:g} and {config.COST_REVIEW:g} from
`ml/config.py`). The decision threshold is the one of least total cost on the
validation split (`TunedThresholdClassifierCV` on the frozen calibrated model). Clearing a video
of probability p costs p x {costs["missed_claim"]:g} on average and flagging it
(1 - p) x {costs["false_flag"]:g}, so between p = {low:.4f} and p = {high:.4f} a review is cheaper
than either: those videos are flagged "low confidence" (or "missing counts" for a video scored by
the at-upload model).

**Queue.** `review_priority` (1 = first): videos flagged for review or predicted claims first,
then predicted opinions; within each, by expected harm = P(claim) x reach, where reach is the
video's views or, for a video without counts, the median views of training videos from accounts
with the same verified and ban status (the export has no author id; the account's status is its
only history). A flagged video counts at least the even odds, P = max(p, 0.5). One place in
{section.get("uncertain_every", 20)} from the top is reserved for the most uncertain videos (p
nearest 0.5), so moderators' decisions teach the model the most. `capture_curve.png` compares the
share of claims' views caught by harm order and by probability alone on the test split.

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

{abstention_section(metrics.get("abstention"))}{shortcuts_section(metrics["shortcuts"])}
## Limits

- One export, one point in time. Drift is measured at each scoring run (`ml.score_drift`, PSI
  of every feature and of the score against the training rows); it warns, it does not retrain.
- The perturbation suite is written by us: it covers the rewrites we thought of. A framing that
  reuses the export's own phrases for the other class (an opinion framed as "a friend read...")
  is familiar and will not be flagged.
- The at-upload model shows what is possible without engagement; the models with counts rely on
  numbers that only exist after a video has been watched.
- Labels come from the export; any labelling error there is learned as is.
"""
