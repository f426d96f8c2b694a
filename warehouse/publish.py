"""One way to write the published warehouse: one writer at a time, a new version by rename.

DuckDB lets one process write a file or many processes read it, never both. So no writer opens
the published file (`$TIKTOK_DUCKDB_PATH`, default `tiktok.duckdb`) for writing: each one works
on a private copy in `.<name>.building/<name>` beside it (the same file name, because DuckDB
names its catalog after the file and dbt writes that name into every view) and, only when it
has finished, moves the copy onto the published path with one atomic `os.replace`. An analyst's
read-only session keeps the version it opened and cannot make a writer fail; a new session sees
the new version; nobody ever sees half a write.

- `writer_lock(db_path, task)`: one writer at a time per published file (a lock file beside
  it); a second writer stops at once, naming the process that holds the lock.
- `publishing(db_path, task)`: under that lock, copy the published file, yield the copy's path,
  publish it by rename on success; on failure or interruption the published file is untouched
  and the copy is removed.
- `copy_published(db_path, copy)`: a consistent copy of the published file (what `publishing`
  and `python -m ml.metrics` start from).
- `connect(path)`: a DuckDB connection that creates new files in the storage format that DuckDB
  1.5 clients (the `duckdb` CLI from pip, the Node driver) can read.

`python -m warehouse` builds a new file with dbt under the same lock and folder, and `ml train`,
`score` and `stats` write through `publishing` (`ml.db.writing`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ml.errors import MlError

# DuckDB 2.0 writes storage version v2.0.0+ by default, which 1.x clients refuse. Files created
# with this setting (and files copied from them) stay readable by DuckDB 1.5; profiles.yml sets
# the same value for dbt (under `config_options`: applied when the file is created).
STORAGE_COMPATIBILITY_VERSION = "v1.5.0"


class PublishError(MlError):
    """Another writer holds the warehouse, or the published file cannot be copied."""


def lock_holder(message: str) -> str:
    """Who holds a DuckDB file's lock, from DuckDB's "Could not set lock" error message."""
    holder = re.search(r"\(PID (\d+)\)", message)
    return f"process {holder.group(1)}" if holder else "another process"


def building_dir(db_path: Path) -> Path:
    """The private folder where the next version of `db_path` is made."""
    return db_path.parent / f".{db_path.name}.building"


def lock_path(db_path: Path) -> Path:
    """The lock file that admits one writer of `db_path` at a time."""
    return db_path.parent / f".{db_path.name}.lock"


def wal_path(db_path: Path) -> Path:
    """DuckDB's write-ahead log of `db_path` (present only while, or after, a write in place)."""
    return db_path.with_name(db_path.name + ".wal")


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open `path`; a file this creates is readable by DuckDB 1.5 clients.

    An existing file keeps the storage version it was created with, whatever this says.
    """
    config = {} if read_only else {"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION}
    return duckdb.connect(str(path), read_only=read_only, config=config)


@contextlib.contextmanager
def writer_lock(db_path: Path, task: str = "a writer") -> Iterator[None]:
    """Hold the writer lock of `db_path`, or fail at once naming the process that holds it.

    `task` says who holds it (e.g. `python -m warehouse`), for the message the next writer gets.
    The lock is an advisory `flock`: the operating system releases it when the process dies,
    even by `kill -9`.
    """
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise PublishError(
                f"another writer of {db_path} is running ({holder}); wait for it to finish "
                "and run this one again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}: {task}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def publishing(db_path: Path, task: str = "a writer", fresh: bool = False) -> Iterator[Path]:
    """Under the writer lock, yield a private copy of `db_path` to write; publish it on success.

    The copy is `.<name>.building/<name>` beside `db_path` (absent when nothing is published
    yet, or with `fresh`, which starts a new file: create it with `connect`). When the block
    ends normally, every connection to the copy must be closed; it then replaces `db_path` by
    one atomic rename. When the block raises or is interrupted, `db_path` is left as it was and
    the copy is removed.
    """
    db_path = db_path.resolve()  # as warehouse does: one lock file per published file
    with writer_lock(db_path, task):
        work = building_dir(db_path)
        shutil.rmtree(work, ignore_errors=True)  # what an interrupted writer left
        work.mkdir(parents=True)
        copy = work / db_path.name
        try:
            if db_path.exists() and not fresh:
                copy_published(db_path, copy)
            yield copy
            if wal_path(copy).exists():  # a connection was left open, or its checkpoint failed
                with connect(copy) as connection:
                    connection.execute("checkpoint")
            if copy.exists():
                copy.replace(db_path)  # atomic: readers see the old file or the new one
                # A log left by a process that wrote in place and died is part of the copy now.
                wal_path(db_path).unlink(missing_ok=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def copy_published(db_path: Path, copy: Path) -> None:
    """Copy the published file (and a write-ahead log, if one was left) into the private folder.

    A read-only connection is held during the copy: DuckDB refuses it while a process writes the
    file in place (a plain `dbt build`, a client opened read-write), so the copy is never torn.
    """
    try:
        guard = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        message = str(error)
        if "Could not set lock" in message:
            raise PublishError(
                f"{db_path} is locked by {lock_holder(message)}, which writes it in place "
                "(a plain `dbt build`, or a client opened without read-only?): wait for it to "
                "finish, then run this again"
            ) from None
        raise PublishError(f"cannot open {db_path}: {message.splitlines()[0]}") from None
    with guard:
        shutil.copyfile(db_path, copy)
        if wal_path(db_path).exists():
            shutil.copyfile(wal_path(db_path), wal_path(copy))
