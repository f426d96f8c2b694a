"""`python -m ml train | score | stats`: the command line of the claims classifier.

Run after `dbt build`, in sequence (DuckDB allows one writer at a time). Expected problems
(no warehouse, a locked file, a missing mart, an untrusted or mismatched model) print one line
starting with `error:` and exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ml import config
from ml.errors import MlError

DESCRIPTION = """\
The claims classifier and the statistics, over the dbt warehouse (run `dbt build` first).

commands, in the order to run them:
  train   fit four candidate models on marts.claim_features, choose the champion on validation,
          save artifacts/ (champion.skops, metrics.json, model_card.md, charts) and append the
          run to ml.model_runs (its permutation importances to ml.feature_importance)
  score   score the videos of marts.videos that are new or changed since the last scoring run
          (every video after a new champion) into ml.claim_predictions and rank them all
          (review_priority 1 = review first); ml.todays_queue is the newest export's part;
          the champion's evaluation goes to ml.evaluation_*
  queue   print or write today's queue: the videos of one export (default the newest) in
          review order
  stats   Welch t-test of views by verification status and a logistic regression of verified
          status: ml.hypothesis_tests, ml.group_means, ml.verified_regression_* and
          artifacts/statistics.md

Exit status: 0 on success, 2 on a problem you can fix (the message says how)."""


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
    return value


def training_costs(args: argparse.Namespace) -> Any:
    """The costs of the command line (`abstention.Costs`), refused when they leave no band."""
    from ml.abstention import Costs

    costs = Costs(args.cost_missed_claim, args.cost_false_flag, args.cost_review)
    low, high = costs.band()
    if not low < high:
        raise MlError(
            f"--cost-review {costs.review:g} leaves no review band (review / missed-claim "
            f"{low:.4f} is not below 1 - review / false-flag {high:.4f}): a review must cost "
            "less than the errors it prevents"
        )
    return costs


def export_date(text: str) -> date:
    """An argparse type: an ISO date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def common_options(parser: argparse.ArgumentParser) -> None:
    """--db-path and --artifacts-dir, shared by every command."""
    parser.add_argument(
        "--db-path",
        type=Path,
        default=None,
        help="the DuckDB warehouse (default: $TIKTOK_DUCKDB_PATH, else tiktok.duckdb at the "
        "repository root)",
    )
    parser.add_argument(
        "--artifacts-dir",
        type=Path,
        default=config.DEFAULT_ARTIFACTS_DIR,
        help="where model files, metrics and charts go (default: artifacts/ at the repository "
        "root)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its three sub-commands."""
    parser = argparse.ArgumentParser(
        prog="python -m ml",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="{train,score,queue,stats}"
    )

    train = commands.add_parser(
        "train",
        help="fit and compare the candidate models; save the champion",
        description="Read marts.claim_features read-only, split it once (stratified 60/20/20 "
        "by --seed), cross-validate each candidate's small grid on the training rows, choose "
        "the champion on validation (best recall with precision >= "
        f"{config.PRECISION_FLOOR}), score the test split once, then write artifacts/ and "
        "append the run to ml.model_runs and the split to ml.video_splits.",
    )
    common_options(train)
    train.add_argument("--seed", type=int, default=config.SEED, help="split and model seed")
    train.add_argument(
        "--relation",
        default=config.FEATURES_RELATION,
        help=f"training mart (default: {config.FEATURES_RELATION})",
    )
    train.add_argument(
        "--sample-rows",
        type=int,
        default=config.TRAIN_SAMPLE_ROWS,
        help="train on a stratified sample of this many videos when the mart holds more; "
        "0 reads them all (default: %(default)s)",
    )
    train.add_argument(
        "--fast",
        action="store_true",
        help="smoke run: first grid setting only, 2 folds (minutes become seconds)",
    )
    costs = train.add_argument_group(
        "costs",
        "What each outcome costs, in units of one opinion wrongly flagged. They set the "
        "decision threshold (the least total cost on validation, TunedThresholdClassifierCV) "
        "and the review band: probabilities between review / missed-claim and "
        "1 - review / false-flag go to a person (see the model card).",
    )
    costs.add_argument(
        "--cost-missed-claim",
        type=positive_float,
        default=config.COST_MISSED_CLAIM,
        help="a claim cleared without review (default: %(default)s)",
    )
    costs.add_argument(
        "--cost-false-flag",
        type=positive_float,
        default=config.COST_FALSE_FLAG,
        help="an opinion flagged as a claim (default: %(default)s)",
    )
    costs.add_argument(
        "--cost-review",
        type=positive_float,
        default=config.COST_REVIEW,
        help="one human review (default: %(default)s)",
    )
    train.add_argument(
        "--grid-seconds",
        type=float,
        default=config.GRID_SECONDS_PER_CANDIDATE,
        help="cross-validation time budget per candidate; later grid settings are skipped once "
        "it is spent (default: %(default)s)",
    )

    score = commands.add_parser(
        "score",
        help="score new and changed videos; rank all into ml.claim_predictions",
        description="Stream the videos of marts.videos that are new or changed since the last "
        "scoring run (their source_file and source_row_number differ from those their "
        "prediction was made from) in Arrow batches through the champion; every video when "
        "the champion changed (a new model_run_id), with --full, or on the first run. The new "
        "scores are merged with the kept ones and ml.claim_predictions is replaced: "
        "probability, flag, review_priority over all videos (1 = review first), split and, "
        "for videos missing a feature, no probability and an unscored_reason. Each run is "
        "recorded in ml.scoring_runs (videos scored and kept), its drift in ml.score_drift "
        "(PSI of the videos scored in this run), and ml.todays_queue shows the newest "
        "export's videos in review order. Refuses a model whose feature columns differ from "
        "the mart's.",
    )
    common_options(score)
    score.add_argument(
        "--model",
        type=Path,
        default=None,
        help=f"model file (default: <artifacts-dir>/{config.MODEL_FILE})",
    )
    score.add_argument(
        "--input",
        type=Path,
        default=None,
        help="score this export file (CSV or Parquet) instead of the warehouse, through the "
        "loader's rules; needs --output",
    )
    score.add_argument(
        "--output",
        type=Path,
        default=None,
        help="with --input: where to write one row per input row (.csv or .parquet)",
    )
    score.add_argument(
        "--relation",
        default=config.VIDEOS_RELATION,
        help=f"videos to score (default: {config.VIDEOS_RELATION})",
    )
    score.add_argument(
        "--full",
        action="store_true",
        help="rescore every video, not only the new and changed ones",
    )
    score.add_argument(
        "--batch-rows",
        type=positive_int,
        default=config.SCORE_BATCH_ROWS,
        help="rows per Arrow batch; bounds memory (default: %(default)s)",
    )
    score.add_argument(
        "--workers",
        type=positive_int,
        default=config.SCORE_WORKERS,
        help="threads predicting batches in parallel (default: %(default)s, one per core)",
    )

    queue = commands.add_parser(
        "queue",
        help="today's queue: one export's videos in review order",
        description="The videos whose latest state comes from one export (--export, default "
        "the newest), joined to ml.claim_predictions, in review_priority order: the same rows "
        "as the view ml.todays_queue for the newest export. Run `score` first.",
    )
    common_options(queue)
    queue.add_argument(
        "--export",
        type=export_date,
        default=None,
        help="the export date, YYYY-MM-DD (default: the newest export in marts.videos)",
    )
    queue.add_argument(
        "--output",
        type=Path,
        default=None,
        help="write the whole queue to this file (.csv or .parquet) instead of printing it",
    )
    queue.add_argument(
        "--limit",
        type=positive_int,
        default=20,
        help="rows to print when there is no --output (default: %(default)s)",
    )
    queue.add_argument(
        "--relation",
        default=config.VIDEOS_RELATION,
        help=f"videos (default: {config.VIDEOS_RELATION})",
    )

    stats = commands.add_parser(
        "stats",
        help="t-test of views by verification; regression of verified status",
        description="Welch's t-test of video_view_count between verified and unverified "
        "accounts (alpha 0.05) on marts.videos, and a logistic regression of verified_status "
        "on duration, claim status, ban status and views on marts.claim_features (minority "
        "upsampled on the training split only). Writes ml.hypothesis_tests, ml.group_means, "
        "ml.verified_regression_coefficients, ml.verified_regression_metrics and "
        "artifacts/statistics.md.",
    )
    common_options(stats)
    stats.add_argument("--seed", type=int, default=config.SEED, help="split and resampling seed")
    return parser


def abstention_table(section: dict[str, Any]) -> str:
    """Per setting (with and without counts), on the test split and the perturbation suite:
    recall and precision on unflagged rows, the share flagged, the share of claims buried."""

    def number(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.4f}"

    lines = [
        "\nabstention (targets: buried <= 5% on the suite, flagged <= 2% on test, "
        "unflagged recall and precision >= 0.999)",
        f"  {'setting':<16} {'rows':<20} {'videos':>7} {'recall':>7} {'precision':>9} "
        f"{'flagged':>8} {'buried':>8}",
    ]
    names = {"test": "test split", "perturbation_suite": "perturbation suite"}
    for setting, measured in section.get("settings", {}).items():
        for where, name in names.items():
            result = measured.get(where)
            if not result:
                continue
            lines.append(
                f"  {setting:<16} {name:<20} {result['rows']:>7,} "
                f"{number(result['recall_unflagged']):>7} "
                f"{number(result['precision_unflagged']):>9} "
                f"{result['flagged_share']:>8.2%} {result['buried_share']:>8.2%}"
            )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> None:
    """Dispatch to the command (its heavy imports are deferred to here)."""
    db_path = args.db_path or config.default_db_path()
    if args.command == "train":
        from ml.card import metrics_table
        from ml.train import train

        result = train(
            db_path,
            args.artifacts_dir,
            relation=args.relation,
            seed=args.seed,
            fast=args.fast,
            budget_seconds=args.grid_seconds,
            sample_rows=args.sample_rows or None,
            costs=training_costs(args),
        )
        print(metrics_table(result.metrics, ("validation", "test")))
        print(abstention_table(result.metrics.get("abstention", {})))
        print(f"\nrun {result.run_id}: champion {result.champion}")
        print(f"wrote {', '.join(str(path) for path in result.files)}")
    elif args.command == "score" and (args.input or args.output):
        from ml.score_file import score_file

        if not (args.input and args.output):
            raise MlError("--input and --output go together")
        result = score_file(
            args.input, args.output, args.model or args.artifacts_dir / config.MODEL_FILE
        )
        print(
            f"{args.output}: {result.rows:,} rows ({result.scored:,} scored, "
            f"{result.rejected:,} rejected by the loader, {result.flagged:,} flagged for review)"
        )
        if result.drift_warning:
            print(result.drift_warning, file=sys.stderr)
    elif args.command == "score":
        from ml.score import score

        summary = score(
            db_path,
            args.model or args.artifacts_dir / config.MODEL_FILE,
            relation=args.relation,
            batch_rows=args.batch_rows,
            workers=args.workers,
            full=args.full,
        )
        print(
            f"ml.claim_predictions: {summary.videos:,} videos, {summary.videos_scored:,} scored "
            f"in this run and {summary.videos_kept:,} kept ({summary.mode} run: "
            f"{summary.reason}); {summary.scored:,} with a probability, {summary.unscored:,} "
            f"unscored, {summary.flagged:,} flagged for review; run {summary.model_run_id}, "
            f"{summary.seconds:.1f} s"
        )
        if summary.drift_warning:
            print(summary.drift_warning, file=sys.stderr)
    elif args.command == "queue":
        from ml.queue import show_queue

        show_queue(db_path, args.relation, args.export, args.output, args.limit)
    else:
        from ml.stats import run_statistics

        result = run_statistics(db_path, args.artifacts_dir, seed=args.seed)
        print(result.t_test["conclusion"])
        print(
            f"t = {result.t_test['t_statistic']:.4f}, "
            f"df = {result.t_test['degrees_of_freedom']:.1f}"
        )
        print(result.coefficients.to_string(index=False))
        print(result.held_out.to_string(index=False))


class ProgressHandler(logging.Handler):
    """Writes each progress message as one plain line to whatever `sys.stderr` is now."""

    def emit(self, record: logging.LogRecord) -> None:
        """Print the message (progress never fails a command)."""
        try:
            print(record.getMessage(), file=sys.stderr, flush=True)
        except (OSError, ValueError):
            self.handleError(record)


def show_progress() -> None:
    """Progress messages of the `ml` loggers go to stderr (installed once per process)."""
    logger = logging.getLogger("ml")
    logger.setLevel(logging.INFO)
    if not any(isinstance(handler, ProgressHandler) for handler in logger.handlers):
        logger.addHandler(ProgressHandler())


def main(argv: list[str] | None = None) -> int:
    """Parse, run, and turn expected errors into one line and exit status 2."""
    args = build_parser().parse_args(argv)
    show_progress()
    try:
        run(args)
    except MlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
