"""Faults: an interrupted or failed daily load, two builds at once, a build while an analyst reads.

`python -m warehouse` (what `make build` runs) loads the new exports into a copy of the database
and publishes it with one atomic rename, so the published database and its ledger are always
the last good ones.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import REPO_ROOT, warehouse_command, warehouse_environment

from warehouse.build import parts_dir
from warehouse.publish import building_dir, lock_path

SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"


def start_build(db_path: Path, *args: str) -> subprocess.Popen[str]:
    """Start `python -m warehouse` in its own session."""
    return subprocess.Popen(
        warehouse_command(db_path, *args),
        cwd=REPO_ROOT,
        env=warehouse_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def run_build(db_path: Path, *args: str) -> tuple[int, str]:
    process = start_build(db_path, *args)
    output, _ = process.communicate(timeout=600)
    return process.returncode, output


def query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def video_count(db_path: Path) -> int:
    return query(db_path, "select count(*) from marts.videos")[0][0]


def ledger(db_path: Path) -> list[tuple]:
    return query(
        db_path, "select source_file, checksum from intermediate.int_export_files_loaded order by 1"
    )


def seed_rows(path: Path, first: int, last: int) -> Path:
    """Rows first..last (1-based) of the seed as an export file."""
    with SEED.open(newline="") as source, path.open("w", newline="") as target:
        reader, writer = csv.reader(source), csv.writer(target, lineterminator="\n")
        for i, row in enumerate(reader):
            if i == 0 or first <= i <= last:
                writer.writerow(row)
            if i > last:
                break
    return path


def exports_vars(folder: Path) -> tuple[str, str, str]:
    return "--", "--vars", f'{{"raw_videos_path": "{folder}"}}'


@pytest.fixture(scope="module")
def first_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database published by one successful daily load of 500 videos, built once.

    Each test gets a copy (`published`): the file, its Parquet parts (the copy's views read the
    parts of this one, by absolute path; a build of the copy writes parts of its own) and its
    released (empty) writer lock file, as a published database has beside it.
    """
    work = tmp_path_factory.mktemp("first_day")
    folder = work / "exports"
    folder.mkdir()
    seed_rows(folder / "2026-11-01.csv", 1, 500)
    db_path = work / "warehouse" / "tiktok.duckdb"
    code, output = run_build(db_path, *exports_vars(folder))
    assert code == 0, output[-3000:]
    return db_path


@pytest.fixture
def exports(tmp_path: Path, first_day: Path) -> Path:
    """The folder of exports `published` loaded: its first day (same name, size and time)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy2(first_day.parent.parent / "exports" / "2026-11-01.csv", folder / "2026-11-01.csv")
    return folder


@pytest.fixture
def published(tmp_path: Path, exports: Path, first_day: Path) -> Path:
    """A database published by one successful daily load of 500 videos (a copy of `first_day`)."""
    db_path = tmp_path / "warehouse" / "tiktok.duckdb"
    db_path.parent.mkdir()
    shutil.copy2(first_day, db_path)
    shutil.copytree(parts_dir(first_day), parts_dir(db_path))
    shutil.copy2(lock_path(first_day), lock_path(db_path))
    assert lock_path(db_path).read_text() == ""  # released
    assert video_count(db_path) == 500
    return db_path


def wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the build to reach the expected point")
        time.sleep(0.05)


def processes_writing(path: Path) -> list[int]:
    """Pids of the processes whose environment points TIKTOK_DUCKDB_PATH at `path`."""
    wanted = f"TIKTOK_DUCKDB_PATH={path}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if wanted in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def test_killed_build_leaves_the_last_day_and_no_dbt_working_on(
    published: Path, exports: Path
) -> None:
    seed_rows(exports / "2026-11-02.csv", 501, 19_382)
    before = ledger(published)
    process = start_build(published, *exports_vars(exports))
    building = building_dir(published) / published.name
    wait_for(lambda: bool(processes_writing(building)))  # dbt is loading the new export
    time.sleep(1.0)
    os.kill(process.pid, signal.SIGKILL)  # the build process only, as `kill -9 PID` does
    process.wait()

    # The kernel took its dbt child down with it: nothing keeps working on the new file.
    wait_for(lambda: not processes_writing(building), seconds=10)
    assert video_count(published) == 500  # the old day, still answering queries
    assert ledger(published) == before
    # The lock died with the process: the next build clears the leftovers and loads the day.
    code, output = run_build(published, *exports_vars(exports))
    assert code == 0, output[-3000:]
    assert video_count(published) == 19_382
    assert [name for name, _ in ledger(published)] == ["2026-11-01.csv", "2026-11-02.csv"]
    assert not building_dir(published).exists()


def test_failed_build_leaves_the_previous_database(published: Path, exports: Path) -> None:
    before = ledger(published)
    (exports / "2026-11-02.csv").write_text("#,claim_status,video_id\n1,claim,1\n")
    code, output = run_build(published, *exports_vars(exports))
    assert code == 2
    assert "2026-11-02.csv" in output
    assert "was left as it was" in output
    assert video_count(published) == 500
    assert ledger(published) == before


def test_day_failing_max_rejected_share_publishes_nothing(published: Path, exports: Path) -> None:
    """The quarantine's test `max_rejected_share` fails the day's build: nothing is published."""
    before = ledger(published)
    day = seed_rows(exports / "2026-11-02.csv", 501, 700)
    with day.open(newline="") as handle:
        rows = list(csv.reader(handle))
    duration = rows[0].index("video_duration_sec")
    for row in rows[1:21]:  # 20 of the 200 rows: 10% > 5%
        row[duration] = "-1"
    with day.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    code, output = run_build(published, *exports_vars(exports))
    assert code == 2
    assert f"20 of 200 input rows (10.0%) of export {day} were rejected" in output
    assert "Failure in test max_rejected_share_of_new_exports" in output
    assert "was left as it was" in output
    assert video_count(published) == 500
    assert ledger(published) == before


def test_second_build_at_the_same_time_is_refused(published: Path, exports: Path) -> None:
    seed_rows(exports / "2026-11-02.csv", 501, 900)
    first = start_build(published, *exports_vars(exports))
    wait_for(lambda: lock_path(published).read_text().startswith("pid"))
    code, output = run_build(published, *exports_vars(exports))
    assert code == 2
    holder = f"(pid {first.pid}: python -m warehouse)"
    assert f"another writer of {published} is running {holder}" in output
    output, _ = first.communicate(timeout=600)
    assert first.returncode == 0, output[-3000:]
    assert video_count(published) == 900


def test_build_while_an_analyst_reads_keeps_their_view(published: Path, exports: Path) -> None:
    seed_rows(exports / "2026-11-02.csv", 501, 700)
    with duckdb.connect(str(published), read_only=True) as analyst:
        code, output = run_build(published, *exports_vars(exports))
        assert code == 0, output[-3000:]
        # The open session still reads the database it opened, new parts unseen; new sessions
        # see the new day.
        assert analyst.execute("select count(*) from marts.videos").fetchone() == (500,)
        assert analyst.execute(
            "select count(*) from intermediate.int_export_files_loaded"
        ).fetchone() == (1,)
    assert video_count(published) == 700


def test_ml_tables_survive_a_daily_load_and_a_full_refresh(published: Path, exports: Path) -> None:
    with duckdb.connect(str(published)) as con:
        con.execute("create schema if not exists ml")  # dbt declares ml.claim_predictions
        con.execute("create table ml.model_runs as select 'run-1' as run_id")
    seed_rows(exports / "2026-11-02.csv", 501, 600)
    for args in ([], ["--full-refresh"]):
        code, output = run_build(published, *args, *exports_vars(exports))
        assert code == 0, output[-3000:]
        assert query(published, "select run_id from ml.model_runs") == [("run-1",)]
        assert video_count(published) == 600
    # The full refresh replaced every part; the next build deletes the ones no ledger lists.
    parts = published.parent / f"{published.name}.parts"
    assert len(list(parts.iterdir())) == 4
    code, output = run_build(published, *exports_vars(exports))
    assert code == 0, output[-3000:]
    assert len(list(parts.iterdir())) == 2
    assert video_count(published) == 600
