"""Faults: an interrupted or failed build, two builds at once, a build while an analyst reads.

`python -m ml.build` (what `make build` runs) builds into a new file and publishes it with one
atomic rename, so the published database is always the last good one.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import REPO_ROOT
from ml.publish import building_dir, lock_path

SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"


def start_build(db_path: Path, *dbt_args: str) -> subprocess.Popen[str]:
    """Start `python -m ml.build` in its own process group (so a kill reaches dbt too)."""
    return subprocess.Popen(
        [sys.executable, "-m", "ml.build", "--db-path", str(db_path), "--", *dbt_args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def run_build(db_path: Path, *dbt_args: str) -> tuple[int, str]:
    process = start_build(db_path, *dbt_args)
    output, _ = process.communicate(timeout=600)
    return process.returncode, output


def video_count(db_path: Path) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("select count(*) from marts.videos").fetchone()[0]


def small_export(path: Path, rows: int) -> Path:
    with SEED.open(newline="") as source, path.open("w", newline="") as target:
        reader, writer = csv.reader(source), csv.writer(target, lineterminator="\n")
        for i, row in enumerate(reader):
            if i > rows:
                break
            writer.writerow(row)
    return path


def vars_for(path: Path) -> tuple[str, str]:
    return "--vars", f'{{"raw_videos_path": "{path}"}}'


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A database published by one successful build of 500 videos."""
    db_path = tmp_path / "warehouse" / "tiktok.duckdb"
    code, output = run_build(db_path, *vars_for(small_export(tmp_path / "500.csv", 500)))
    assert code == 0, output[-3000:]
    assert video_count(db_path) == 500
    return db_path


def wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the build to reach the expected point")
        time.sleep(0.05)


def test_interrupted_build_leaves_the_previous_database_answering(
    published: Path, tmp_path: Path
) -> None:
    process = start_build(published, *vars_for(SEED))
    building = building_dir(published) / published.name
    wait_for(building.exists)  # dbt has opened the new file and is writing into it
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assert video_count(published) == 500  # the old data, still answering queries
    # The lock died with the process: the next build runs, clears the leftovers, publishes.
    code, output = run_build(published, *vars_for(small_export(tmp_path / "300.csv", 300)))
    assert code == 0, output[-3000:]
    assert video_count(published) == 300
    assert not building_dir(published).exists()


def test_failed_build_leaves_the_previous_database(published: Path, tmp_path: Path) -> None:
    code, output = run_build(published, *vars_for(tmp_path / "missing.csv"))
    assert code == 2
    assert "was left as it was" in output
    assert video_count(published) == 500


def test_second_build_at_the_same_time_is_refused(published: Path, tmp_path: Path) -> None:
    first = start_build(published, *vars_for(small_export(tmp_path / "400.csv", 400)))
    wait_for(lambda: lock_path(published).read_text().startswith("pid"))
    code, output = run_build(published)
    assert code == 2
    holder = f"(pid {first.pid}: python -m ml.build)"
    assert f"another writer of {published} is running {holder}" in output
    output, _ = first.communicate(timeout=600)
    assert first.returncode == 0, output[-3000:]
    assert video_count(published) == 400


def test_build_while_an_analyst_reads_keeps_their_view(published: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(published), read_only=True) as analyst:
        code, output = run_build(published, *vars_for(small_export(tmp_path / "200.csv", 200)))
        assert code == 0, output[-3000:]
        # The open session still reads the database it opened; new sessions see the new one.
        assert analyst.execute("select count(*) from marts.videos").fetchone() == (500,)
    assert video_count(published) == 200


def test_ml_tables_survive_a_rebuild(published: Path) -> None:
    with duckdb.connect(str(published)) as con:
        con.execute("create schema ml")
        con.execute("create table ml.model_runs as select 'run-1' as run_id")
    code, output = run_build(published, *vars_for(SEED))
    assert code == 0, output[-3000:]
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select run_id from ml.model_runs").fetchall() == [("run-1",)]
        assert con.execute("select count(*) from marts.videos").fetchone() == (19_382,)
