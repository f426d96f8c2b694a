"""Scale benchmark: the warehouse at 1M and 10M videos, side by side with pandas and the floor.

Full refresh. For each size, input (`synthetic`: the generator's export, unique transcripts;
`real`: the real export replicated under new ids) and format (CSV, Parquet) it times, in one
run and alternating:
  (a) `dbt build` with every test, into a fresh DuckDB file, the project parsed beforehand as
      after any earlier build (dbt's partial parsing);
  (b) `bench/pandas_pipeline.py`: the same work the way the notebook did it, written to disk;
  (c) the floor: DuckDB reading the input once into one persistent table.
Daily load. For each size and input it builds a warehouse from the export (untimed), then times
`python -m warehouse` (what `make build` runs every day: copy the small database file, load one
new export with every test, publish by rename) adding one 100,000-video export: 90,000 new
videos and 10,000 re-reported ones with more views. Each repeat starts from a copy of the same
warehouse.
It prints each command's median wall time and peak memory (max RSS of the process tree), the
ratios dbt / floor and pandas / dbt, and the daily load's ratio between the sizes. Inputs are
cached in --data-dir. Usage: `python bench/scale_bench.py [--sizes 1000000 10000000]
[--inputs synthetic real] [--formats csv parquet] [--repeats 3]` (`make bench` runs it).
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
sys.path.insert(0, str(REPO_ROOT))

from warehouse import dbt  # noqa: E402 (after the path set-up above)

PYTHON = sys.executable
REAL_DATASET = Path(
    os.environ.get("TIKTOK_DATASET", REPO_ROOT.parent / "shared" / "data" / "tiktok_dataset.csv")
)
DAILY_ROWS = 100_000
REREPORTED_ROWS = 10_000


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


def ensure_input(data_dir: Path, rows: int, fmt: str, kind: str) -> Path:
    """The benchmark's export of `rows` videos (cached): synthetic, or the real one replicated."""
    path = data_dir / f"{kind}_{rows}.{fmt}"
    if path.exists():
        return path
    print(f"making {path} ...", flush=True)
    if kind == "synthetic":
        subprocess.run(
            [
                PYTHON,
                "-m",
                "synthetic",
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
    if not REAL_DATASET.is_file():
        sys.exit(f"the real export is not at {REAL_DATASET} (set TIKTOK_DATASET)")
    # Every row of the real export again and again, under new ids (id x 1000 + copy), numbered.
    options = "(format parquet)" if fmt == "parquet" else "(header true)"
    duckdb_sql(
        f"""
        copy (
            select
                row_number() over () as "#",
                claim_status,
                video_id * 1000 + copy as video_id,
                * exclude ("#", claim_status, video_id, copy)
            from read_csv('{REAL_DATASET}'), range(
                cast(ceil({rows} / 19382) as bigint)
            ) as copies(copy)
            limit {rows}
        ) to '{path}' {options}
        """
    )
    return path


def duckdb_sql(sql: str) -> None:
    """Run one statement in a scratch DuckDB (a child process: nothing stays open here)."""
    subprocess.run([PYTHON, "-c", f"import duckdb; duckdb.sql({sql!r})"], check=True)


def daily_export(data_dir: Path, base: Path, kind: str) -> Path:
    """The next day's export for `base`: 90,000 new videos and 10,000 of base's with more views."""
    path = data_dir / f"daily_{kind}_{base.stem}.csv"
    if path.exists():
        return path
    fresh = ensure_input(data_dir, DAILY_ROWS, "csv", "synthetic")
    reader = "read_parquet" if base.suffix == ".parquet" else "read_csv"
    duckdb_sql(
        f"""
        copy (
            select row_number() over () as "#", * exclude ("#")
            from (
                (
                    select * replace (video_id + 11 * 1000000000000 as video_id)
                    from read_csv('{fresh}') limit {DAILY_ROWS - REREPORTED_ROWS}
                )
                union all
                (
                    select * replace (video_view_count + 10 as video_view_count)
                    from {reader}('{base}') where video_view_count is not null
                    limit {REREPORTED_ROWS}
                )
            )
        ) to '{path}' (header true)
        """
    )
    return path


def slowest_nodes(run_results: Path, count: int = 8) -> str:
    """Where a dbt run's time went: its `count` slowest nodes (dbt's execution_time), one line."""
    results = json.loads(run_results.read_text())
    nodes = sorted(
        ((node["execution_time"], node["unique_id"].split(".")[2]) for node in results["results"]),
        reverse=True,
    )
    slowest = ", ".join(f"{name[:40]} {seconds:.1f}" for seconds, name in nodes[:count])
    total = sum(seconds for seconds, _ in nodes)
    return (
        f"dbt {results['elapsed_time']:.1f} s, {len(nodes)} nodes summing {total:.1f} s "
        f"(2 threads); slowest: {slowest}"
    )


def dbt_command(command: str, source: Path, target: Path) -> list[str]:
    """A dbt command on `source`, its project state kept in `target` (partial parsing)."""
    return dbt.command(
        [command, "--quiet", "--target-path", str(target), "--log-path", str(target / "logs")],
        variables={"raw_videos_path": str(source)},
    )


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
    parser.add_argument("--inputs", nargs="+", default=["synthetic", "real"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tiktok-bench"
    )
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)

    print(f"start: load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    rows_out = []
    daily_out = []
    runs = [(z, k, f) for z in args.sizes for k in args.inputs for f in args.formats]
    for size, kind, fmt in runs:
        source = ensure_input(args.data_dir, size, fmt, kind)
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
                    f"{size:>11,} {kind:<9} {fmt:<8} run {repeat}/{args.repeats} {name:<24} "
                    f"{seconds:7.1f} s {peak:8.0f} MiB",
                    flush=True,
                )
        print(f"  where the time went (last run): {slowest_nodes(target / 'run_results.json')}")
        medians = {
            name: (
                statistics.median(s for s, _ in values),
                max(p for _, p in values),
            )
            for name, values in results.items()
        }
        rows_out.append((size, kind, fmt, medians))
        if fmt == args.formats[0]:
            daily_out.append((size, kind, daily_load(args, source, kind)))

    print()
    print("full refresh")
    print(
        f"{'rows':>11} {'input':<9} {'format':<8} {'dbt s':>7} {'pandas s':>9} {'floor s':>8} "
        f"{'dbt/floor':>9} {'pandas/dbt':>10} {'dbt MiB':>8} {'pandas MiB':>10} {'floor MiB':>9}"
    )
    for size, kind, fmt, medians in rows_out:
        dbt_s, dbt_m = medians["dbt build (all tests)"]
        pandas_s, pandas_m = medians["pandas script"]
        floor_s, floor_m = medians["floor: one DuckDB table"]
        print(
            f"{size:>11,} {kind:<9} {fmt:<8} {dbt_s:7.1f} {pandas_s:9.1f} {floor_s:8.1f} "
            f"{dbt_s / floor_s:9.2f} {pandas_s / dbt_s:10.2f} {dbt_m:8.0f} {pandas_m:10.0f} "
            f"{floor_m:9.0f}"
        )
    print(f"(medians of {args.repeats} runs; peak memory is the largest of the runs)")
    print()
    print(f"daily load: one {DAILY_ROWS:,}-video export added by python -m warehouse")
    print(
        f"{'warehouse':>11} {'input':<9} {'seconds':>8} {'peak MiB':>9} {'file MiB':>9} "
        f"{'vs smallest':>11}"
    )
    smallest = {kind: result[0] for _, kind, result in sorted(daily_out, reverse=True)}
    for size, kind, (seconds, peak, file_mib) in daily_out:
        print(
            f"{size:>11,} {kind:<9} {seconds:8.1f} {peak:9.0f} {file_mib:9.0f} "
            f"{seconds / smallest[kind]:11.2f}"
        )
    print(f"end: load average {os.getloadavg()[0]:.2f}")


def daily_load(args: argparse.Namespace, source: Path, kind: str) -> tuple[float, float, float]:
    """Median seconds and peak MiB of adding one export to a warehouse built from `source`."""
    base_dir = args.data_dir / "daily-base"
    shutil.rmtree(base_dir, ignore_errors=True)
    exports = base_dir / "exports"
    exports.mkdir(parents=True)
    os.link(source, exports / f"2026-11-01{''.join(source.suffixes)}")
    db = base_dir / "warehouse" / "tiktok.duckdb"
    db.parent.mkdir()
    build = [
        PYTHON,
        "-m",
        "warehouse",
        "--db-path",
        str(db),
        "--",
        "--quiet",
        "--vars",
        json.dumps({"raw_videos_path": str(exports)}),
    ]
    seconds, _ = run_measured(build)
    print(f"{source.name}: warehouse built in {seconds:.1f} s (untimed below)", flush=True)
    os.link(daily_export(args.data_dir, source, kind), exports / "2026-11-02.csv")
    timings = []
    for repeat in range(1, args.repeats + 1):
        work = args.data_dir / "daily-work"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(db.parent, work)
        seconds, peak = run_measured([*build[:4], str(work / db.name), *build[5:]])
        file_mib = (work / db.name).stat().st_size / 2**20
        timings.append((seconds, peak, file_mib))
        print(
            f"{source.name}: daily load run {repeat}/{args.repeats} {seconds:7.1f} s "
            f"{peak:8.0f} MiB (database file {file_mib:.0f} MiB)",
            flush=True,
        )
    # python -m warehouse runs dbt in the repository: its results are in target/.
    results = REPO_ROOT / "target" / "run_results.json"
    print(f"  where the time went (last run): {slowest_nodes(results)}")
    return (
        statistics.median(t for t, _, _ in timings),
        max(p for _, p, _ in timings),
        max(f for _, _, f in timings),
    )


if __name__ == "__main__":
    main()
