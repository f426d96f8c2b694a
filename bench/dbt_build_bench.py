"""Benchmark: wall time of `dbt build` (seed, models, unit and data tests).

Runs the build RUNS times (default 5) into a fresh DuckDB file each time, on the embedded
synthetic seed and, where it is present, on the real export (`raw_videos_path`), alternating
the two inputs so machine noise hits both alike. Prints each run, the median, and the ratio of
medians. Usage: `python bench/dbt_build_bench.py [--runs N]` (or `make bench`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from warehouse import dbt  # noqa: E402 (after the path set-up above)

REAL_DATASET = Path(
    os.environ.get("TIKTOK_DATASET", REPO_ROOT.parent / "shared" / "data" / "tiktok_dataset.csv")
)


def timed_build(work_dir: Path, raw_videos_path: Path | None) -> float:
    """Seconds one `dbt build` takes into a new DuckDB file under `work_dir`."""
    db_path = work_dir / "bench.duckdb"
    db_path.unlink(missing_ok=True)
    variables = {"raw_videos_path": str(raw_videos_path)} if raw_videos_path else None
    start = time.perf_counter()
    dbt.run(
        ["build", "--quiet"],
        db_path=db_path,
        variables=variables,
        work_dir=work_dir,
        capture=False,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per input (default 5)")
    args = parser.parse_args()

    inputs: dict[str, Path | None] = {"synthetic seed (19,382 rows)": None}
    if REAL_DATASET.is_file():
        inputs["real export (19,382 rows)"] = REAL_DATASET
    else:
        print(f"note: {REAL_DATASET} is absent; timing the seed only", file=sys.stderr)

    times: dict[str, list[float]] = {name: [] for name in inputs}
    with tempfile.TemporaryDirectory(prefix="dbt-bench-") as tmp:
        for run in range(1, args.runs + 1):
            for name, path in inputs.items():
                seconds = timed_build(Path(tmp), path)
                times[name].append(seconds)
                print(f"run {run}/{args.runs}  {name:<30} {seconds:6.2f} s", flush=True)

    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    print(f"{'input':<30} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, values in times.items():
        print(f"{name:<30} {statistics.median(values):9.2f} {min(values):7.2f} {max(values):7.2f}")
    if len(times) == 2:
        seed, real = (statistics.median(v) for v in times.values())
        print(f"ratio real / seed (medians): {real / seed:.2f}")
    print(f"peak memory of one dbt build: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
