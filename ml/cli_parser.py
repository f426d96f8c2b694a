"""The command line's options: the `python -m ml` parser with its four sub-commands (train,
score, queue, stats), their help texts and the argparse types that check their values."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ml import config

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
