"""Writers publish a new file by rename: one at a time, never seen half-done, never blocked."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import HeldReader, TinyRun, cli_scalar

from ml import config, db
from ml.errors import MlError
from ml.score import score
from ml.stats import run_statistics
from ml.train import train
from warehouse.publish import (
    PublishError,
    building_dir,
    connect,
    lock_path,
    publishing,
    wal_path,
    writer_lock,
)

MODEL_RUNS = "select count(*) from ml.model_runs"
SCORED_AT = "select cast(max(scored_at) as varchar) from ml.claim_predictions"


def one_value(db_path: Path, sql: str) -> object:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()[0][0]


def test_a_second_writer_is_refused_naming_the_first(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    with writer_lock(db_path, "python -m ml train"):
        assert lock_path(db_path).read_text() == f"pid {os.getpid()}: python -m ml train"
        refused = r"another writer of .*w\.duckdb is running \(pid"
        with pytest.raises(PublishError, match=refused), publishing(db_path, "ml score"):
            pass
    with writer_lock(db_path):  # released on exit
        pass


def test_publishing_replaces_the_file_on_success_only(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    with connect(db_path) as connection:
        connection.execute("create table t as select 1 as x")
    with pytest.raises(RuntimeError), publishing(db_path) as copy:
        assert copy == building_dir(db_path) / "w.duckdb"
        with connect(copy) as connection:
            connection.execute("insert into t values (2)")
        raise RuntimeError("the writer failed after writing its copy")
    assert one_value(db_path, "select count(*) from t") == 1
    assert not building_dir(db_path).exists()

    with publishing(db_path) as copy, connect(copy) as connection:
        connection.execute("insert into t values (2)")
    assert one_value(db_path, "select sum(x) from t") == 3
    assert not building_dir(db_path).exists()
    assert not wal_path(db_path).exists()


def test_a_write_ahead_log_left_beside_the_file_is_carried_into_the_copy(tmp_path: Path) -> None:
    """A process that wrote in place and died leaves `<file>.wal`: its commits are not lost."""
    db_path = tmp_path / "w.duckdb"
    with connect(db_path) as connection:
        connection.execute("create table t as select 1 as x")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    shutil.copyfile(db_path, crashed / "w.duckdb")
    connection = connect(crashed / "w.duckdb")
    connection.execute("set checkpoint_threshold = '1GB'")
    connection.execute("insert into t values (41)")
    shutil.copyfile(wal_path(crashed / "w.duckdb"), wal_path(db_path))  # as if killed here
    connection.close()
    with publishing(db_path) as copy, connect(copy) as writer:
        writer.execute("insert into t values (1)")
    assert one_value(db_path, "select sum(x) from t") == 43
    assert not wal_path(db_path).exists()


def test_files_python_writers_create_open_in_the_duckdb_1_5_cli(tmp_path: Path) -> None:
    db_path = tmp_path / "new.duckdb"
    with connect(db_path) as connection:
        connection.execute("create schema ml")
        connection.execute("create table ml.t as select range as x from range(1000)")
    with publishing(db_path) as copy, connect(copy) as connection:
        connection.execute("insert into ml.t values (1000)")
    assert cli_scalar(db_path, "select count(*) from ml.t") == "1001"


def test_train_score_and_stats_go_through_while_an_analyst_reads(
    tiny_run: TinyRun, tmp_path: Path
) -> None:
    """A read-only session in another process: every writer succeeds, the session keeps its view."""
    db_path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_run.db_path, db_path)
    runs_before = one_value(db_path, MODEL_RUNS)
    scored_before = one_value(db_path, SCORED_AT)
    with HeldReader(db_path) as analyst:
        assert analyst.rows(MODEL_RUNS) == [[runs_before]]
        training = train(db_path, tmp_path / "artifacts", fast=True)
        score(db_path, tmp_path / "artifacts" / config.MODEL_FILE)
        run_statistics(db_path, tmp_path / "artifacts")
        # The held session still reads the file it opened...
        assert analyst.rows(MODEL_RUNS) == [[runs_before]]
        assert analyst.rows(SCORED_AT) == [[scored_before]]
        assert analyst.rows(
            "select count(*) from duckdb_tables() where table_name = 'hypothesis_tests'"
        ) == [[0]]
        analyst.close()
    # ... and a new one sees every write.
    assert one_value(db_path, MODEL_RUNS) == runs_before + len(training.metrics["models"])
    assert one_value(db_path, SCORED_AT) != scored_before
    assert one_value(db_path, "select count(*) from ml.hypothesis_tests") == 1
    assert not building_dir(db_path).exists()


def test_a_failed_write_leaves_the_published_file(tiny_run: TinyRun, tmp_path: Path) -> None:
    """A writer that fails after changing its copy publishes nothing."""
    db_path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_run.db_path, db_path)
    scored_before = one_value(db_path, SCORED_AT)
    with (
        pytest.raises(MlError, match="halfway"),
        db.writing(db_path, "a test") as connection,
    ):
        connection.execute("delete from ml.claim_predictions")
        raise PublishError("stopped halfway")
    assert one_value(db_path, SCORED_AT) == scored_before
    assert one_value(db_path, "select count(*) from ml.claim_predictions") > 0
