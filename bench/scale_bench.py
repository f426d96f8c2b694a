"""Scale benchmark: the warehouse at 1M and 10M videos, side by side with pandas and the floor.

For each size and input format (CSV, Parquet) it times, in one run and alternating:
  (a) `dbt build` with every test, into a fresh DuckDB file (what `make build` does), the
      project parsed beforehand as after any earlier build (dbt's partial parsing);
  (b) `bench/pandas_pipeline.py`: the same work the way the notebook did it, written to disk;
  (c) the floor: DuckDB reading the input once into one persistent table.
and prints each command's median wall time and peak memory (max RSS of the process tree), and
the ratios dbt / floor and pandas / dbt. Inputs come from the synthetic generator and are cached
in --data-dir. Usage: `python bench/scale_bench.py [--sizes 1000000 10000000] [--repeats 3]`
(`make bench` runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DBT = str(Path(sys.executable).with_name("dbt"))


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of `command`, via GNU time (-f '%M' is KiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = ["/usr/bin/time", "-q", "-f", "%M", "-o", report.name, *command]
        start = time.perf_counter()
        result = subprocess.run(
            full,
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"benchmark step failed: {' '.join(command)}\n{result.stdout[-3000:]}")
        peak_kib = float(report.read().strip().splitlines()[-1])
    return seconds, peak_kib / 1024


def ensure_input(data_dir: Path, rows: int, fmt: str) -> Path:
    path = data_dir / f"videos_{rows}.{fmt}"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        subprocess.run(
            [
                PYTHON,
                "-m",
                "ml.synthetic",
                "--rows",
                str(rows),
                "--format",
                fmt,
                "--out",
                str(path),
            ],
            cwd=REPO_ROOT,
            check=True,
        )
    return path


def dbt_command(command: str, source: Path, target: Path) -> list[str]:
    """A dbt command on `source`, its project state kept in `target` (partial parsing)."""
    return [
        DBT,
        command,
        "--quiet",
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--vars",
        json.dumps({"raw_videos_path": str(source)}),
    ]


def steps(source: Path, work: Path, target: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    db = work / "tiktok.duckdb"
    floor_db = work / "floor.duckdb"
    reader = "read_parquet" if source.suffix == ".parquet" else "read_csv"
    floor_sql = f"create table videos as select * from {reader}('{source}')"
    return {
        "dbt build (all tests)": (
            dbt_command("build", source, target),
            {"TIKTOK_DUCKDB_PATH": str(db)},
        ),
        "pandas script": (
            [PYTHON, "bench/pandas_pipeline.py", str(source), str(work / "pandas_out")],
            {},
        ),
        "floor: one DuckDB table": (
            [
                PYTHON,
                "-c",
                f"import duckdb; duckdb.connect({str(floor_db)!r}).execute({floor_sql!r})",
            ],
            {},
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tiktok-bench"
    )
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)

    print(f"start: load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    rows_out = []
    for size in args.sizes:
        for fmt in args.formats:
            source = ensure_input(args.data_dir, size, fmt)
            # The project is parsed once, untimed, as any build after a user's first finds it
            # (dbt's partial parsing); a first build in a fresh clone parses for a few s more.
            target = args.data_dir / "dbt-target"
            shutil.rmtree(target, ignore_errors=True)
            env = {"TIKTOK_DUCKDB_PATH": str(args.data_dir / "work" / "tiktok.duckdb")}
            parse_seconds, _ = run_measured(dbt_command("parse", source, target), env)
            print(f"{size:>11,} {fmt:<8} dbt parse, once, untimed below {parse_seconds:7.1f} s")
            results: dict[str, list[tuple[float, float]]] = {}
            for repeat in range(1, args.repeats + 1):
                work = args.data_dir / "work"
                for name, (command, env) in steps(source, work, target).items():
                    shutil.rmtree(work, ignore_errors=True)
                    work.mkdir()
                    seconds, peak = run_measured(command, env)
                    results.setdefault(name, []).append((seconds, peak))
                    print(
                        f"{size:>11,} {fmt:<8} run {repeat}/{args.repeats} {name:<24} "
                        f"{seconds:7.1f} s {peak:8.0f} MiB",
                        flush=True,
                    )
            medians = {
                name: (
                    statistics.median(s for s, _ in values),
                    max(p for _, p in values),
                )
                for name, values in results.items()
            }
            rows_out.append((size, fmt, medians))

    print()
    print(
        f"{'rows':>11} {'input':<8} {'dbt s':>7} {'pandas s':>9} {'floor s':>8} "
        f"{'dbt/floor':>9} {'pandas/dbt':>10} {'dbt MiB':>8} {'pandas MiB':>10} {'floor MiB':>9}"
    )
    for size, fmt, medians in rows_out:
        dbt_s, dbt_m = medians["dbt build (all tests)"]
        pandas_s, pandas_m = medians["pandas script"]
        floor_s, floor_m = medians["floor: one DuckDB table"]
        print(
            f"{size:>11,} {fmt:<8} {dbt_s:7.1f} {pandas_s:9.1f} {floor_s:8.1f} "
            f"{dbt_s / floor_s:9.2f} {pandas_s / dbt_s:10.2f} {dbt_m:8.0f} {pandas_m:10.0f} "
            f"{floor_m:9.0f}"
        )
    print(f"(medians of {args.repeats} runs; peak memory is the largest of the runs)")
    print(f"end: load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
