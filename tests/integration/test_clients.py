"""Analysts' clients: the DuckDB 1.5 CLI opens every published file, and a session held open
during `python -m warehouse`, `train` and `score` neither makes them fail nor sees their writes.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT, HeldReader, cli_scalar, run_warehouse

from ml import config
from ml.score import score
from ml.train import train

SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"
VIDEOS = "select count(*) from marts.videos"
MODEL_RUNS = "select count(*) from ml.model_runs"
PREDICTIONS = "select count(*) from ml.claim_predictions"


def small_export(path: Path, rows: int) -> Path:
    """The seed's header and first `rows` rows."""
    with SEED.open(newline="") as source, path.open("w", newline="") as target:
        writer = csv.writer(target, lineterminator="\n")
        for index, row in enumerate(csv.reader(source)):
            if index > rows:
                break
            writer.writerow(row)
    return path


@pytest.fixture
def published(seed_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the warehouse `dbt build` made from the seed."""
    db_path = tmp_path / "warehouse" / "tiktok.duckdb"
    db_path.parent.mkdir()
    shutil.copyfile(seed_warehouse, db_path)
    return db_path


def test_the_duckdb_1_5_cli_reads_the_file_dbt_builds(published: Path) -> None:
    assert cli_scalar(published, VIDEOS) == "19382"
    # The semantic layer's tables exist from the first build, before any `ml` command.
    assert cli_scalar(published, PREDICTIONS) == "0"
    assert cli_scalar(published, "select count(*) from marts.metricflow_time_spine") == "7671"


def test_writers_go_through_while_an_analyst_reads(published: Path, tmp_path: Path) -> None:
    """`train`, `score` and `python -m warehouse` with a read-only session open all along."""
    artifacts = tmp_path / "artifacts"
    with HeldReader(published) as analyst:
        assert analyst.rows(VIDEOS) == [[19_382]]
        assert analyst.rows(PREDICTIONS) == [[0]]

        training = train(published, artifacts, fast=True, sample_rows=3_000)
        runs = len(training.metrics["models"])
        assert cli_scalar(published, MODEL_RUNS) == str(runs)

        score(published, artifacts / config.MODEL_FILE)
        assert cli_scalar(published, PREDICTIONS) == "19382"

        export = small_export(tmp_path / "500.csv", 500)
        # --full-refresh: a new file, with the `ml` tables carried over
        built = run_warehouse(published, exports=export, dbt_args=("--full-refresh",))
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        assert cli_scalar(published, VIDEOS) == "500"
        assert cli_scalar(published, MODEL_RUNS) == str(runs)  # carried over
        assert cli_scalar(published, PREDICTIONS) == "19382"

        # The held session still reads the version it opened, before every write.
        assert analyst.rows(VIDEOS) == [[19_382]]
        assert analyst.rows(PREDICTIONS) == [[0]]
        assert analyst.rows(
            "select count(*) from duckdb_tables() where table_name = 'model_runs'"
        ) == [[0]]
        analyst.close()


def test_make_sql_opens_a_read_only_shell(published: Path) -> None:
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/bin/.installed", "sql", f"DB={published}"],
        cwd=REPO_ROOT,
        input="select count(*) as n from marts.videos;\ncreate table marts.x (i int);\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert "19382" in result.stdout
    assert "read-only mode" in result.stderr  # the shell refuses the write
