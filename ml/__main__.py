"""`python -m ml train | score | stats`: the command line of the claims classifier.

Run after `dbt build`, in sequence (DuckDB allows one writer at a time). Expected problems
(no warehouse, a locked file, a missing mart, an untrusted or mismatched model) print one line
starting with `error:` and exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from ml import config
from ml.cli_parser import build_parser
from ml.errors import MlError


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
