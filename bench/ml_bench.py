"""Benchmark of `ml/`: training time per model, scoring throughput and peak memory.

Works on copies in a temporary folder, never on your warehouse: it copies `--db-path` (or, by
default, builds one with `dbt build` from the real export where present, else from the
embedded seed), trains, scores `marts.videos`, then scores a larger mart made by replicating
every video (`--rows`, default 1,000,000, new ids) to show throughput and memory at scale.

Peak memory is the process's peak resident set size during each step (Linux `VmHWM`, reset
between steps through `/proc/self/clear_refs`); it includes the interpreter and libraries.
Wall-clock figures depend on what else the machine runs, so the load average is printed and
scoring also reports CPU microseconds per video, which other work barely moves.
Targets (issue 3): the champion trains in under 15 s; scoring reaches 200,000 videos/s.

Usage: `python bench/ml_bench.py [--db-path FILE] [--rows N] [--workers N]`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from ml import config  # noqa: E402 (after the path set-up above)
from ml.score import ScoreSummary, score  # noqa: E402
from ml.train import train  # noqa: E402
from warehouse import dbt  # noqa: E402

REAL_DATASET = Path(
    os.environ.get("TIKTOK_DATASET", REPO_ROOT.parent / "shared" / "data" / "tiktok_dataset.csv")
)
TRAIN_TARGET_SECONDS = 15.0
SCORE_TARGET_PER_SECOND = 200_000


def reset_peak_memory() -> None:
    """Restart the kernel's peak-RSS counter for this process (no-op where unsupported)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_memory_mb() -> float:
    """Peak resident set size since the last reset, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


@dataclass(frozen=True)
class Measure:
    """Wall and CPU seconds and peak memory of one step."""

    seconds: float
    cpu_seconds: float
    peak_mb: float


def measured(step: Callable[[], Any]) -> tuple[Any, Measure]:
    """Run a step; return its result and its measure."""
    reset_peak_memory()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = step()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return result, Measure(seconds, cpu, peak_memory_mb())


def load_note() -> str:
    """The 1-minute load average against the core count: other work skews every timing."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def build_warehouse(work_dir: Path) -> Path:
    """`dbt build` into a fresh file: the real export where present, else the seed."""
    db_path = work_dir / "bench.duckdb"
    variables = {"raw_videos_path": str(REAL_DATASET)} if REAL_DATASET.is_file() else None
    print(f"building a warehouse from {REAL_DATASET if REAL_DATASET.is_file() else 'the seed'}")
    dbt.run(
        ["build", "--quiet"],
        db_path=db_path,
        variables=variables,
        work_dir=work_dir,
        capture=False,
        check=True,
    )
    return db_path


def replicate_videos(source: Path, target: Path, rows: int) -> int:
    """A file whose `marts.videos` repeats every video of `source` until `rows` (new ids)."""
    with duckdb.connect(str(target)) as connection:
        connection.execute(f"attach '{source}' as source (read_only)")
        videos = connection.execute("select count(*) from source.marts.videos").fetchall()[0][0]
        copies = math.ceil(rows / videos)
        connection.execute("create schema marts")
        connection.execute(
            f"""
            create table marts.videos as
            select * replace (video_id * 100000 + copy as video_id)
            from source.marts.videos, range({copies}) as copies(copy)
            limit {rows}
            """
        )
        return connection.execute("select count(*) from marts.videos").fetchall()[0][0]


def score_line(label: str, summary: ScoreSummary, measure: Measure) -> str:
    """One row of the scoring table."""
    return (
        f"  {label:<34} {summary.videos:>10,} {measure.seconds:>8.2f} "
        f"{summary.videos / measure.seconds:>12,.0f} "
        f"{measure.cpu_seconds / summary.videos * 1e6:>11.2f} {measure.peak_mb:>9,.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-path", type=Path, default=None, help="warehouse to copy")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the large mart")
    parser.add_argument("--workers", type=int, default=config.SCORE_WORKERS, help="threads")
    args = parser.parse_args(argv)
    logging.getLogger("ml").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory(prefix="ml_bench_") as tmp:
        work_dir = Path(tmp)
        db_path = work_dir / "bench.duckdb"
        if args.db_path:
            shutil.copyfile(args.db_path, db_path)
        else:
            build_warehouse(work_dir)
        artifacts = work_dir / "artifacts"
        model_path = artifacts / config.MODEL_FILE

        print(f"start: {load_note()}")
        result, training = measured(lambda: train(db_path, artifacts))
        models = result.metrics["models"]
        print(f"\ntraining on {result.metrics['data']['rows']:,} videos (seconds)")
        print(f"  {'model':<24} {'CV grid':>8} {'final fit':>10} {'total':>8} {'val recall':>11}")
        for name, details in models.items():
            grid, fit = details["seconds"]["grid_search"], details["seconds"]["final_fit"]
            marker = "  <- champion" if name == result.champion else ""
            print(
                f"  {name:<24} {grid:>8.2f} {fit:>10.2f} {grid + fit:>8.2f} "
                f"{details['metrics']['validation']['recall']:>11.4f}{marker}"
            )
        champion = models[result.champion]["seconds"]
        champion_seconds = champion["grid_search"] + champion["final_fit"]
        print(
            f"  whole `train` step: {training.seconds:.1f} s ({training.cpu_seconds:.1f} CPU s), "
            f"peak memory {training.peak_mb:,.0f} MB"
        )

        large = work_dir / "large.duckdb"
        large_rows = replicate_videos(db_path, large, args.rows)
        print(f"\nscoring ({args.workers} worker thread(s) unless noted)")
        print(
            f"  {'mart':<34} {'videos':>10} {'seconds':>8} {'videos/s':>12} "
            f"{'CPU us/video':>11} {'peak MB':>9}"
        )
        summary, measure = measured(
            lambda: score(db_path, model_path, workers=args.workers, full=True)
        )
        print(score_line("marts.videos", summary, measure))
        best_rate = 0.0
        for workers in sorted({1, args.workers}):
            summary, measure = measured(
                lambda workers=workers: score(large, model_path, workers=workers, full=True)
            )
            label = f"{large_rows:,} replicated, {workers} thread(s)"
            print(score_line(label, summary, measure))
            best_rate = max(best_rate, summary.videos / measure.seconds)
        print(f"end: {load_note()}")

        print("\ntargets")
        train_ok = champion_seconds < TRAIN_TARGET_SECONDS
        score_ok = best_rate >= SCORE_TARGET_PER_SECOND
        print(
            f"  champion ({result.champion}) trains in {champion_seconds:.1f} s "
            f"(CV grid + final fit; target < {TRAIN_TARGET_SECONDS:.0f} s): "
            f"{'met' if train_ok else 'MISSED'}"
        )
        print(
            f"  scoring at {best_rate:,.0f} videos/s "
            f"(target >= {SCORE_TARGET_PER_SECOND:,}): {'met' if score_ok else 'MISSED'}"
        )
    return 0 if train_ok and score_ok else 1


if __name__ == "__main__":
    sys.exit(main())
