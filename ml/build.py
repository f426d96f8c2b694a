"""Build the warehouse atomically: `dbt build` into a new file, published only on success.

Analysts and `ml` read the DuckDB file at `$TIKTOK_DUCKDB_PATH` (default `tiktok.duckdb`). A
build that fails or is interrupted must leave the last good database in place and queryable, so
this module runs `dbt build` into a fresh file in a private folder beside it, copies the tables
of the `ml` schema (training runs, predictions, statistics) over from the published file, and
then moves the new file onto the published path with one atomic rename. A
reader that has the old file open keeps reading it; every new connection sees the new one.

The writer lock of `ml.publish` (a lock file beside the database) makes a second build, or an
`ml` command that writes, stop at once while this one runs, naming the process that holds it.

The building file has the published file's name (in the private folder), because DuckDB names
its catalog after the file and dbt writes that name into every view it creates.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from ml.config import REPO_ROOT, default_db_path
from ml.errors import MlError
from ml.publish import building_dir, writer_lock

CARRIED_SCHEMAS = ("ml",)


class BuildError(MlError):
    """The build could not run or did not succeed; the published database is unchanged."""


def carry_over(published: Path, built: Path, schemas: Sequence[str] = CARRIED_SCHEMAS) -> list[str]:
    """Copy every table of `schemas` from the published database into the new one.

    dbt rebuilds the warehouse from its input, but the `ml` schema holds history (every training
    run) and outputs that only `ml` commands write: they must survive a rebuild. Returns the
    tables copied, as `schema.table`.
    """
    if not published.exists():
        return []
    copied: list[str] = []
    try:
        con = duckdb.connect(str(built))
    except duckdb.Error as error:
        raise BuildError(f"cannot open the new database {built}: {error}") from None
    with con:
        try:
            con.execute(f"attach '{_quote(published)}' as published (read_only)")
        except duckdb.IOException as error:
            raise BuildError(
                f"{published} is open for writing by another process (an `ml` command?), so its "
                f"`ml` tables cannot be carried over; close it and build again ({error})"
            ) from None
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'published' and schema_name in "
            f"({', '.join('?' for _ in schemas)}) order by 1, 2",
            list(schemas),
        ).fetchall()
        for schema, table in tables:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create or replace table "{schema}"."{table}" as '
                f'select * from published."{schema}"."{table}"'
            )
            copied.append(f"{schema}.{table}")
        con.execute("detach published")
        con.execute("checkpoint")
    return copied


def build(db_path: Path, dbt_args: Sequence[str] = ()) -> None:
    """Run `dbt build` into a new file and publish it at `db_path` only if everything passed."""
    db_path = db_path.resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(db_path, "python -m ml.build"):
        work = building_dir(db_path)
        shutil.rmtree(work, ignore_errors=True)  # what an interrupted build left
        work.mkdir()
        built = work / db_path.name
        try:
            dbt = Path(sys.executable).with_name("dbt")
            command = [str(dbt), "build", *dbt_args]
            env = {**os.environ, "TIKTOK_DUCKDB_PATH": str(built)}
            print(f"building into {built} (published at {db_path} on success)", flush=True)
            result = subprocess.run(command, cwd=REPO_ROOT, env=env, check=False)
            if result.returncode != 0:
                raise BuildError(
                    f"dbt build failed (exit code {result.returncode}; its messages are above). "
                    f"{db_path} was left as it was."
                )
            copied = carry_over(db_path, built)
            if copied:
                print(f"carried over from the previous build: {', '.join(copied)}", flush=True)
            built.replace(db_path)  # atomic: readers see the old file or the new one
            print(f"published {db_path}", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ml.build [--db-path PATH] [-- DBT ARGS]`."""
    parser = argparse.ArgumentParser(
        prog="python -m ml.build",
        description=(
            "Run `dbt build` into a new DuckDB file and publish it atomically on success: a "
            "failed or interrupted build leaves the previous database intact."
        ),
    )
    parser.add_argument(
        "--db-path",
        type=Path,
        default=default_db_path(),
        help="the published DuckDB file (default: $TIKTOK_DUCKDB_PATH or tiktok.duckdb)",
    )
    parser.add_argument(
        "dbt_args",
        nargs=argparse.REMAINDER,
        help="arguments passed to dbt build after `--`, e.g. -- --vars '{raw_videos_path: f.csv}'",
    )
    args = parser.parse_args(argv)
    dbt_args = args.dbt_args[1:] if args.dbt_args[:1] == ["--"] else args.dbt_args
    try:
        build(args.db_path, dbt_args)
    except MlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
