"""Spark equivalence: the project built on Apache Spark equals the DuckDB build, mart by mart.

One child process (one JVM start) runs `dbt build --target spark` (dbt-spark's `session`
method: local PySpark) three times, with every model, unit test and data test, into a temporary
Derby metastore and warehouse, and writes relations to Parquet files from the same session:
1. the real export as one file: the marts must equal the DuckDB build (`real_warehouse`);
2. `--full-refresh` from a folder of daily exports made from the real export (CSV, Parquet,
   gzipped CSV; an exact repeated row and a value that is no number in the last one), holding
   the first two exports only; then, 3., an incremental build once the third export has
   arrived. The marts, the ledger, the versions and the quarantine must equal DuckDB's build of
   the whole folder in one run.
Every column must be equal: same names, order and Arrow types, counts and text exactly, floats
to 1e-9 relative.

The Spark packages are an optional extra (`requirements-spark.txt`): without them this test
skips, saying so, except under `CI=true`, where it fails.

Run this file as a script to do the child process's part: `python test_spark_equivalence.py
WORK_DIR EXPORT FOLDER` builds on Spark and writes WORK_DIR/<build>/<relation>.parquet.
"""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Each mart and the columns that identify a row (to sort both builds the same way).
MARTS = {
    "marts.videos": ["video_id"],
    "marts.claim_features": ["video_id"],
    "marts.engagement_by_status": ["claim_status", "author_ban_status"],
    "marts.outlier_summary": ["column_name"],
}
# The reporting models (every number and chart dataset of the stakeholder report), built from
# the real export as one file, and the columns that identify a row.
REPORTING = {
    "reporting.rpt_measures": ["measure"],
    "reporting.rpt_measure_stats": ["grouped_by", "group_name", "measure"],
    "reporting.rpt_distribution_stats": ["measure", "group_name"],
    "reporting.rpt_histogram_binnings": ["measure"],
    "reporting.rpt_histograms_by_ban_status": [
        "measure",
        "bin_start",
        "claim_status",
        "author_ban_status",
    ],
    "reporting.rpt_histograms": ["measure", "bin_start", "claim_status"],
    "reporting.rpt_status_cells": ["claim_status", "verified_status", "author_ban_status"],
    "reporting.rpt_status_counts": ["grouped_by", "claim_status", "status"],
    "reporting.rpt_median_views": ["grouped_by", "status"],
    "reporting.rpt_view_share": ["claim_status"],
    "reporting.rpt_outliers": ["column_name"],
    "reporting.rpt_engagement_ratios": ["claim_status", "author_ban_status", "ratio"],
    "reporting.rpt_scatter_sample": ["is_opinions_only", "sample_rank"],
    "reporting.rpt_dashboard_cells": ["claim_status", "verified_status", "author_ban_status"],
    "reporting.rpt_dashboard_ratios": ["claim_status", "author_ban_status", "ratio"],
    "reporting.rpt_summary_figures": [],
}
# Beyond the marts, for the folder of daily exports: the ledger (without the checksum, which
# each engine computes with its own hash, and the run, path and times: Spark reads copies of
# the files, made as they arrive), the versions and the quarantine (without the line number and
# the raw line, which Spark's reader does not report).
DAILY_RELATIONS = {
    **MARTS,
    "intermediate.int_export_files_loaded": ["source_file"],
    "intermediate.int_video_versions": ["video_id"],
    "intermediate.int_export_rows_quarantined": [
        "source_file",
        "source_row_number",
        "rejection_reason",
    ],
}
ENGINE_COLUMNS = {
    "intermediate.int_export_files_loaded": [
        "invocation_id",
        "checksum",
        "file_path",
        "file_modified_at",
        "loaded_at",
    ],
    "intermediate.int_export_rows_quarantined": ["source_line", "raw_line"],
    # The sample's key is each engine's own hash (macro sample_order_key): the sampled videos
    # differ; the samples' sizes, ranks and populations do not.
    "reporting.rpt_scatter_sample": [
        "video_id",
        "claim_status",
        "video_view_count",
        "video_like_count",
    ],
}
BUILDS = {"one export": [*MARTS, *REPORTING], "daily exports": list(DAILY_RELATIONS)}
ROW_KEYS = {**DAILY_RELATIONS, **REPORTING}
RTOL = 1e-9
# The three Spark builds take 4-6 minutes on a loaded 2-core machine.
BUILD_TIMEOUT_SECONDS = 1500
# What Spark writes into the working directory when the profile's settings are not applied.
SPARK_LITTER = ["metastore_db", "spark-warehouse", "derby.log"]

pytestmark = [pytest.mark.spark, pytest.mark.real_data]


def require_spark() -> None:
    """Skip (fail under CI=true) when the optional Spark packages are not installed."""
    missing = [name for name in ("pyspark", "dbt.adapters.spark") if not _importable(name)]
    if missing:
        reason = (
            f"{', '.join(missing)} not installed: the Spark target is an optional extra "
            "(pip install -r requirements-spark.txt)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    if _java() is None:
        reason = "no java on PATH: PySpark needs a Java 17 runtime"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _java() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


@pytest.fixture(scope="module")
def daily_folder(real_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real export as three daily exports of mixed formats (see the module docstring).

    The split is the oracle test's (`daily_exports`). Day 2 is written as Parquet, day 3 as
    gzipped CSV with two more rows: a copy of its first row (an exact repeat: quarantined as a
    later copy) and a copy of its second row numbered 99999 whose view count is `abc` (a parse
    error).
    """
    from test_marts_oracle import DAYS, daily_exports

    folder = tmp_path_factory.mktemp("daily_real") / "exports"
    daily_exports(real_dataset, folder)
    day2, day3 = folder / DAYS[1], folder / DAYS[2]
    pd.read_csv(day2).to_parquet(day2.with_suffix(".parquet"), index=False)
    day2.unlink()
    rows = pd.read_csv(day3, dtype=str, keep_default_na=False)
    bad = rows.iloc[[1]].assign(**{"#": "99999", "video_view_count": "abc"})
    pd.concat([rows, rows.iloc[[0]], bad]).to_csv(
        day3.with_suffix(".csv.gz"), index=False, compression="gzip"
    )
    day3.unlink()
    return folder


@pytest.fixture(scope="module")
def spark_builds(
    real_dataset: Path, daily_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The folder of the Spark builds' relations as Parquet files, built once per module."""
    require_spark()
    work_dir = tmp_path_factory.mktemp("spark_warehouse")
    litter_before = {name for name in SPARK_LITTER if (REPO_ROOT / name).exists()}
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "TIKTOK_SPARK_DIR": str(work_dir / "spark"),
        # The child runs this file as a script: it imports warehouse.dbt from the repository.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        str(work_dir),
        str(real_dataset),
        str(daily_folder),
    ]
    started = time.monotonic()
    try:
        result = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as timeout:
        output = timeout.stdout or ""
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        pytest.fail(f"dbt build on Spark took over {BUILD_TIMEOUT_SECONDS} s:\n{output[-6000:]}")
    if result.returncode != 0:
        pytest.fail(
            f"dbt build on Spark failed ({' '.join(command)}):\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
        )
    print(f"three dbt builds on Spark and exports: {time.monotonic() - started:.0f} s")

    litter = {name for name in SPARK_LITTER if (REPO_ROOT / name).exists()} - litter_before
    assert not litter, f"Spark wrote {sorted(litter)} into the repository root"
    for name in ("metastore_db", "warehouse", "derby.log"):
        assert (work_dir / "spark" / name).exists(), f"{name} is not under TIKTOK_SPARK_DIR"
    return work_dir


@pytest.fixture(scope="module")
def daily_warehouse(daily_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DuckDB's build of the whole folder of daily exports, in one run."""
    from conftest import dbt_build

    work_dir = tmp_path_factory.mktemp("daily_duckdb")
    db_path = work_dir / "tiktok.duckdb"
    dbt_build(db_path, work_dir, raw_videos_path=daily_folder)
    return db_path


def read_duckdb(db_path: Path, relation: str) -> pa.Table:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(f"select * from {relation}").to_arrow_table()


def normalized_type(data_type: pa.DataType) -> pa.DataType:
    """Arrow's string flavours are one type here: engines pick different ones."""
    if pa.types.is_large_string(data_type) or pa.types.is_string_view(data_type):
        return pa.string()
    return data_type


def sorted_rows(table: pa.Table, keys: list[str]) -> list[dict[str, object]]:
    """The rows as dicts, sorted on `keys` (nulls last)."""

    def sort_key(row: dict[str, object]) -> list[tuple[bool, object]]:
        return [(row[key] is None, "" if row[key] is None else row[key]) for key in keys]

    return sorted(table.to_pylist(), key=sort_key)


def without_engine_columns(table: pa.Table, relation: str) -> pa.Table:
    return table.drop_columns(
        [name for name in ENGINE_COLUMNS.get(relation, []) if name in table.column_names]
    )


@pytest.mark.parametrize(
    ("build", "relation"),
    [(build, relation) for build, relations in BUILDS.items() for relation in relations],
)
def test_spark_equals_duckdb(
    build: str,
    relation: str,
    request: pytest.FixtureRequest,
    spark_builds: Path,
) -> None:
    warehouse = "real_warehouse" if build == "one export" else "daily_warehouse"
    duck = without_engine_columns(
        read_duckdb(request.getfixturevalue(warehouse), relation), relation
    )
    spark = without_engine_columns(
        pq.read_table(spark_builds / build_folder(build) / f"{relation}.parquet"), relation
    )

    spark_schema = [(f.name, normalized_type(f.type)) for f in spark.schema]
    duck_schema = [(f.name, normalized_type(f.type)) for f in duck.schema]
    assert spark_schema == duck_schema, f"{relation}: columns or types differ"
    assert spark.num_rows == duck.num_rows, f"{relation}: row counts differ"
    assert spark.num_rows > 0

    keys = ROW_KEYS[relation]
    spark_rows = sorted_rows(spark, keys)
    duck_rows = sorted_rows(duck, keys)
    for name, data_type in duck_schema:
        got = [row[name] for row in spark_rows]
        want = [row[name] for row in duck_rows]
        if pa.types.is_floating(data_type):
            differing = [
                (index, g, w)
                for index, (g, w) in enumerate(zip(got, want, strict=True))
                if not (
                    (g is None and w is None)
                    or (g is not None and w is not None and math.isclose(g, w, rel_tol=RTOL))
                )
            ]
        else:
            differing = [
                (index, g, w) for index, (g, w) in enumerate(zip(got, want, strict=True)) if g != w
            ]
        assert not differing, (
            f"{relation}.{name}: {len(differing)} rows differ (row, spark, duckdb), "
            f"first: {differing[:5]}"
        )


def test_spark_loaded_the_last_export_in_a_run_of_its_own(spark_builds: Path) -> None:
    """The ledger says the incremental build read the third export only, in a second run."""
    ledger = pq.read_table(
        spark_builds / "daily" / "intermediate.int_export_files_loaded.parquet"
    ).to_pylist()
    runs: dict[str, list[str]] = {}
    for row in sorted(ledger, key=lambda row: row["source_file"]):
        runs.setdefault(row["invocation_id"], []).append(row["source_file"])
    assert sorted(runs.values()) == [
        ["2026-11-01.csv", "2026-11-02.parquet"],
        ["2026-11-03.csv.gz"],
    ]
    assert all(len(row["checksum"]) == 16 for row in ledger)


def test_quarantine_holds_the_repeat_and_the_parse_error(spark_builds: Path) -> None:
    rejected = pq.read_table(
        spark_builds / "daily" / "intermediate.int_export_rows_quarantined.parquet"
    )
    reasons = sorted(
        (row["source_file"], row["rejected_column"], row["rejection_reason"].split(":")[0])
        for row in rejected.to_pylist()
    )
    assert reasons == [
        ("2026-11-03.csv.gz", "video_id", "duplicate video_id"),
        ("2026-11-03.csv.gz", "video_view_count", "video_view_count is not a number"),
    ]


def build_folder(build: str) -> str:
    return {"one export": "one_export", "daily exports": "daily"}[build]


def build_and_export(work_dir: Path, export: Path, folder: Path) -> int:
    """The child process: the three builds on Spark, each followed by its relations to Parquet."""
    from pyspark.sql import SparkSession

    from warehouse import dbt

    exports = work_dir / "exports"
    exports.mkdir()
    files = sorted(folder.iterdir())
    builds = [
        ("one export", export, [], []),
        (None, exports, ["--full-refresh"], files[:2]),
        ("daily exports", exports, [], files[2:]),
    ]
    for build, path, options, arriving in builds:
        for file in arriving:
            shutil.copy(file, exports / file.name)
        started = time.monotonic()
        result = dbt.invoke(
            ["build", "--target", "spark", *options],
            variables={"raw_videos_path": str(path)},
            work_dir=work_dir,
        )
        if not result.success:
            print(f"dbt build on Spark failed: {result.exception or 'see the log above'}")
            return 1
        print(f"dbt build on Spark {options} of {path}: {time.monotonic() - started:.0f} s")
        if build is None:
            continue
        spark = SparkSession.builder.getOrCreate()  # the session dbt-spark opened
        out = work_dir / build_folder(build)
        out.mkdir()
        for relation in BUILDS[build]:
            pq.write_table(spark.table(relation).toArrow(), out / f"{relation}.parquet")
    SparkSession.builder.getOrCreate().stop()
    return 0


if __name__ == "__main__":
    sys.exit(build_and_export(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])))
