"""Spark equivalence: the project built on Apache Spark equals the DuckDB build, mart by mart.

`dbt build --target spark` (dbt-spark's `session` method: local PySpark, in a child process)
runs once per session on the real export, with every model, unit test and data test, into a
temporary Derby metastore and warehouse. The same child process, still holding the Spark
session, writes each mart to a Parquet file (one JVM start, not two). Every column of every
mart must then equal the DuckDB build's (`real_warehouse`): same names, order and Arrow types,
counts and text exactly, floats to 1e-9 relative.

The Spark packages are an optional extra (`requirements-spark.txt`): without them this test
skips, saying so, except under `CI=true`, where it fails.

Run this file as a script to do the child process's part: `python test_spark_equivalence.py
WORK_DIR EXPORT` builds on Spark and writes WORK_DIR/marts/<relation>.parquet.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Each mart and the columns that identify a row (to sort both builds the same way).
MARTS = {
    "marts.videos": ["video_id"],
    "marts.claim_features": ["video_id"],
    "marts.engagement_by_status": ["claim_status", "author_ban_status"],
    "marts.outlier_summary": ["column_name"],
}
RTOL = 1e-9
# A Spark build of the real export takes 2-3 minutes on a loaded 2-core machine.
BUILD_TIMEOUT_SECONDS = 900
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
def spark_marts(real_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the Spark build's marts as Parquet files, built once per session."""
    require_spark()
    work_dir = tmp_path_factory.mktemp("spark_warehouse")
    litter_before = {name for name in SPARK_LITTER if (REPO_ROOT / name).exists()}
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "TIKTOK_SPARK_DIR": str(work_dir / "spark"),
    }
    command = [sys.executable, str(Path(__file__).resolve()), str(work_dir), str(real_dataset)]
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
    print(f"dbt build on Spark and export: {time.monotonic() - started:.0f} s")

    litter = {name for name in SPARK_LITTER if (REPO_ROOT / name).exists()} - litter_before
    assert not litter, f"Spark wrote {sorted(litter)} into the repository root"
    for name in ("metastore_db", "warehouse", "derby.log"):
        assert (work_dir / "spark" / name).exists(), f"{name} is not under TIKTOK_SPARK_DIR"
    return work_dir / "marts"


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


@pytest.mark.parametrize("relation", list(MARTS))
def test_spark_mart_equals_duckdb_mart(
    relation: str, spark_marts: Path, real_warehouse: Path
) -> None:
    spark = pq.read_table(spark_marts / f"{relation}.parquet")
    duck = read_duckdb(real_warehouse, relation)

    spark_schema = [(f.name, normalized_type(f.type)) for f in spark.schema]
    duck_schema = [(f.name, normalized_type(f.type)) for f in duck.schema]
    assert spark_schema == duck_schema, f"{relation}: columns or types differ"
    assert spark.num_rows == duck.num_rows, f"{relation}: row counts differ"
    assert spark.num_rows > 0

    keys = MARTS[relation]
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


def build_and_export(work_dir: Path, export: Path) -> int:
    """The child process: dbt build on Spark, then each mart from the same session to Parquet."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            "build",
            "--target",
            "spark",
            "--project-dir",
            str(REPO_ROOT),
            "--profiles-dir",
            str(REPO_ROOT),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
            "--vars",
            json.dumps({"raw_videos_path": str(export)}),
        ]
    )
    if not result.success:
        print(f"dbt build on Spark failed: {result.exception or 'see the log above'}")
        return 1

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the session dbt-spark opened
    out = work_dir / "marts"
    out.mkdir()
    for relation in MARTS:
        pq.write_table(spark.table(relation).toArrow(), out / f"{relation}.parquet")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(build_and_export(Path(sys.argv[1]), Path(sys.argv[2])))
