"""Benchmark: how long `python -m report` takes and how big the report is, at two scales.

1. The real export (19,382 videos; the synthetic seed of the same size where the export is
   absent): `dbt run`, then `ml train --fast`, `score` and `stats` once, then the report is
   built RUNS times by the CLI as `make run` calls it: fresh (an empty folder and cache, so the
   Vega bundle is built too), cold (an empty folder, the bundle cached) and rebuild (the same
   folder and data again: no PNG is redrawn). Prints each run with its CPU seconds and the
   report's own step timings, the medians, and the report's size by kind of file.
2. A synthetic export of ROWS videos (default 1,000,000, `synthetic` as Parquet), built with
   `dbt run --vars raw_videos_path`, trained on a 20,000-video sample of its training mart
   (training time is not what this measures), scored in full (so `ml.claim_predictions` has
   ROWS rows) and given the statistics; the report is built once and its size printed.

Every chart is fed by aggregates (bins, quartiles, group counts) or by a sample of fixed size,
so the report's size does not grow with the rows: compare the two sizes. Targets (issue 4):
under 10 s at 19k rows, under 5 MB at 10M rows.

Usage: `python bench/report_bench.py [--runs 3] [--rows 1000000] [--skip-scale]
[--work-dir DIR [--reuse]]`: `--work-dir` keeps the warehouses; with `--reuse`, a later run
times the report on them again without rebuilding.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from warehouse import dbt  # noqa: E402 (after the path set-up above)

REAL_DATASET = Path(
    os.environ.get("TIKTOK_DATASET", REPO_ROOT.parent / "shared" / "data" / "tiktok_dataset.csv")
)
TIME_TARGET_SECONDS = 10.0
SIZE_TARGET_BYTES = 5_000_000
TRAINING_SAMPLE_ROWS = 20_000
SAMPLE_RELATION = "bench.claim_features_sample"


def run(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run a command from the repository root; exit with its output if it fails."""
    result = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def dbt_run(db_path: Path, work_dir: Path, raw_videos_path: Path | None) -> float:
    """`dbt run` (seed and models; the data tests are `make test`'s job) into `db_path`."""
    variables = {"raw_videos_path": str(raw_videos_path)} if raw_videos_path else None
    started = time.perf_counter()
    result = dbt.run(["run", "--quiet"], db_path=db_path, variables=variables, work_dir=work_dir)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(result.args)}\n{result.stdout[-3000:]}")
    return time.perf_counter() - started


def ml_step(command: str, db_path: Path, artifacts_dir: Path, *extra: str) -> float:
    """`python -m ml <command>`; seconds taken."""
    started = time.perf_counter()
    run(
        [
            sys.executable,
            "-m",
            "ml",
            command,
            "--db-path",
            str(db_path),
            "--artifacts-dir",
            str(artifacts_dir),
            *extra,
        ]
    )
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """User + system CPU time of every finished child process (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_report(
    db_path: Path, artifacts_dir: Path, out_dir: Path, cache: Path
) -> tuple[float, str]:
    """`python -m report` as `make run` would call it: (wall seconds, what it reported).

    `cache` is its cache folder (`TIKTOK_CLAIMS_CACHE`), where the Vega bundle is kept.

    The CPU seconds are added to the description: unlike wall time, they hardly move when
    other jobs share the two cores.
    """
    started, cpu_started = time.perf_counter(), cpu_seconds()
    output = run(
        [
            sys.executable,
            "-m",
            "report",
            "--db-path",
            str(db_path),
            "--artifacts-dir",
            str(artifacts_dir),
            "--out-dir",
            str(out_dir),
        ],
        {"TIKTOK_CLAIMS_CACHE": str(cache)},
    )
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    steps = re.search(r"s: (queries .*)\)", output)
    return seconds, f"cpu {cpu:.1f} s; " + (steps.group(1) if steps else output.strip())


def sizes(out_dir: Path) -> dict[str, int]:
    """Bytes of the report by kind of file, and in total."""
    kinds = {"html": 0, "js": 0, "png": 0, "json": 0}
    for path in out_dir.rglob("*"):
        if path.is_file():
            kind = path.suffix.lstrip(".")
            kinds[kind if kind in kinds else "json"] += path.stat().st_size
    kinds["total"] = sum(kinds.values())
    return kinds


def describe_sizes(label: str, out_dir: Path) -> int:
    """Print the report's sizes; return the total."""
    measured = sizes(out_dir)
    parts = ", ".join(f"{kind} {size / 1e6:.2f} MB" for kind, size in measured.items())
    verdict = "ok" if measured["total"] < SIZE_TARGET_BYTES else "OVER TARGET"
    print(f"size {label}: {parts} ({verdict}: target < {SIZE_TARGET_BYTES / 1e6:.0f} MB)")
    return measured["total"]


def prepare_small(work_dir: Path, reuse: bool) -> tuple[Path, Path, str]:
    """The 19k warehouse with `ml` tables: (db path, artifacts dir, what it was built from)."""
    db_path, artifacts = work_dir / "small.duckdb", work_dir / "small-artifacts"
    source = REAL_DATASET if REAL_DATASET.is_file() else None
    label = "real export" if source else "synthetic seed"
    if reuse and (work_dir / "small.done").is_file():
        print(f"19k: reusing {db_path}")
        return db_path, artifacts, label
    print(f"19k: dbt run from the {label} ... ", end="", flush=True)
    print(f"{dbt_run(db_path, work_dir / 'small', source):.1f} s")
    for command, extra in (("train", ("--fast",)), ("score", ()), ("stats", ())):
        seconds = ml_step(command, db_path, artifacts, *extra)
        print(f"19k: ml {command} {' '.join(extra)} {seconds:.1f} s")
    (work_dir / "small.done").write_text("ok\n")
    return db_path, artifacts, label


def prepare_large(work_dir: Path, rows: int, reuse: bool) -> tuple[Path, Path]:
    """A warehouse of `rows` synthetic videos with `ml` tables (trained on a sample)."""
    db_path, artifacts = work_dir / "large.duckdb", work_dir / "large-artifacts"
    done = work_dir / f"large-{rows}.done"
    if reuse and done.is_file():
        print(f"{rows:,}: reusing {db_path}")
        return db_path, artifacts
    export = work_dir / f"synthetic-{rows}.parquet"
    started = time.perf_counter()
    run(
        [
            sys.executable,
            "-m",
            "synthetic",
            "--rows",
            str(rows),
            "--format",
            "parquet",
            "--out",
            str(export),
        ]
    )
    print(f"{rows:,}: synthetic export {time.perf_counter() - started:.1f} s")
    db_path.unlink(missing_ok=True)
    print(f"{rows:,}: dbt run {dbt_run(db_path, work_dir / 'large', export):.1f} s")
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema if not exists bench")
        con.execute(
            f"create or replace table {SAMPLE_RELATION} as select * from marts.claim_features "
            f"using sample reservoir({TRAINING_SAMPLE_ROWS} rows) repeatable (42)"
        )
    steps = (
        ("train", ("--fast", "--relation", SAMPLE_RELATION)),
        ("score", ()),
        ("stats", ()),
    )
    for command, extra in steps:
        seconds = ml_step(command, db_path, artifacts, *extra)
        print(f"{rows:,}: ml {command} {' '.join(extra)} {seconds:.1f} s")
    export.unlink()
    done.write_text("ok\n")
    return db_path, artifacts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="report builds per mode (default 3)")
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="synthetic videos for the scale run"
    )
    parser.add_argument("--skip-scale", action="store_true", help="only the 19k measurements")
    parser.add_argument("--work-dir", type=Path, help="keep warehouses and reports here")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the warehouses already in --work-dir"
    )
    args = parser.parse_args()
    reuse = args.reuse and args.work_dir is not None

    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="report-bench-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {', '.join(f'{load:.1f}' for load in os.getloadavg())}")
    try:
        db_path, artifacts, label = prepare_small(work_dir, reuse)
        # fresh: nothing cached (a new machine); cold: new folder, Vega bundle cached (`make
        # clean && make run`); rebuild: same folder and data (`make run` again: no PNG redrawn).
        modes = ("fresh", "cold", "rebuild")
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        out_dir = work_dir / "reports-small"
        for number in range(1, args.runs + 1):
            for mode in modes:
                cache = work_dir / "cache"
                if mode == "fresh":
                    shutil.rmtree(cache, ignore_errors=True)
                if mode != "rebuild":
                    shutil.rmtree(out_dir, ignore_errors=True)
                seconds, steps = build_report(db_path, artifacts, out_dir, cache)
                times[mode].append(seconds)
                print(f"run {number}/{args.runs} {mode:<7} {seconds:5.2f} s  ({steps})", flush=True)
        print()
        for mode, values in times.items():
            verdict = "ok" if statistics.median(values) < TIME_TARGET_SECONDS else "OVER TARGET"
            print(
                f"report on the {label} (19,382 rows), {mode:<7}: median "
                f"{statistics.median(values):.2f} s, min {min(values):.2f} s, "
                f"max {max(values):.2f} s ({verdict}: target < {TIME_TARGET_SECONDS:.0f} s)"
            )
        small_size = describe_sizes("at 19,382 rows", work_dir / "reports-small")

        if not args.skip_scale:
            print()
            large_db, large_artifacts = prepare_large(work_dir, args.rows, reuse)
            seconds, steps = build_report(
                large_db, large_artifacts, work_dir / "reports-large", work_dir / "cache"
            )
            print(f"report at {args.rows:,} rows: {seconds:.2f} s ({steps})")
            large_size = describe_sizes(f"at {args.rows:,} rows", work_dir / "reports-large")
            growth = (large_size - small_size) / small_size
            print(
                f"size change from 19,382 to {args.rows:,} rows: {growth:+.1%}; every chart is "
                "an aggregate or a fixed-size sample, so 10M rows give the same size"
            )
        print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of one child process (dbt, ml or report): {peak:.0f} MiB")
    finally:
        if args.work_dir is None:
            shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
