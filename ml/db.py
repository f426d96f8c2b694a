"""DuckDB access: read-only connections for the marts, one short write of `ml.*` by publishing.

DuckDB lets one process write a file or many read it, never both. Every command reads the
published file with a read-only connection and closes it; it writes through
`warehouse.publish`: on a private copy of the file, published by one atomic rename when the
write is done, so an analyst's open session can neither make the write fail nor see half of it.
Problems the user can fix (no file, a file another process holds, a mart `dbt build` has not
made) raise `WarehouseError` with the fix in the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from ml.config import ML_SCHEMA
from ml.errors import WarehouseError
from warehouse.publish import connect, lock_holder, publishing

RELATION_PATTERN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")


def split_relation(relation: str) -> tuple[str, str]:
    """`schema.table` as its two parts; anything else is refused (names go into SQL)."""
    match = RELATION_PATTERN.match(relation)
    if match is None:
        raise WarehouseError(f"{relation!r} is not a relation name of the form schema.table")
    return match.group(1), match.group(2)


def quote_relation(relation: str) -> str:
    """The relation quoted for SQL, e.g. `"marts"."videos"`."""
    schema, table = split_relation(relation)
    return f'"{schema}"."{table}"'


def _require_file(db_path: Path) -> None:
    if not db_path.is_file():
        raise WarehouseError(
            f"no DuckDB file at {db_path}: run `dbt build` first, or point --db-path "
            "(or $TIKTOK_DUCKDB_PATH) at the warehouse"
        )


def _connect(db_path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the file, turning DuckDB's errors into one-line instructions."""
    _require_file(db_path)
    try:
        return connect(db_path, read_only=read_only)
    except duckdb.IOException as error:
        message = str(error)
        if "Could not set lock" in message:
            raise WarehouseError(
                f"{db_path} is locked by {lock_holder(message)} "
                "(a `dbt build` or another `python -m ml` command?): wait for it to finish, "
                "then run this again"
            ) from None
        raise WarehouseError(f"cannot open {db_path}: {message.splitlines()[0]}") from None
    except duckdb.Error as error:
        raise WarehouseError(f"cannot open {db_path}: {str(error).splitlines()[0]}") from None


@contextmanager
def reading(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, closed on exit."""
    connection = _connect(db_path, read_only=True)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def writing(db_path: Path, task: str = "python -m ml") -> Iterator[duckdb.DuckDBPyConnection]:
    """A write connection to a private copy of `db_path`, with `ml` created.

    The copy is published onto `db_path` by rename when the block succeeds (one transaction,
    committed); if it fails, `db_path` is untouched. `task` names the writer in the message a
    concurrent writer gets (see `warehouse.publish.writer_lock`).
    """
    _require_file(db_path)
    with publishing(db_path, task) as copy:
        connection = _connect(copy, read_only=False)
        try:
            connection.execute("begin transaction")
            connection.execute(f"create schema if not exists {ML_SCHEMA}")
            yield connection
            connection.execute("commit")
        except BaseException:
            connection.execute("rollback")
            raise
        finally:
            connection.close()


def fetch_row(
    connection: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> tuple:
    """The first row of a query, fetched to the end (DuckDB 2.0 refuses new work on a connection
    while a result is unfinished)."""
    rows = connection.execute(sql, params or []).fetchall()
    return rows[0]


def relation_exists(connection: duckdb.DuckDBPyConnection, relation: str) -> bool:
    """Whether the table or view exists."""
    schema, table = split_relation(relation)
    found = fetch_row(
        connection,
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    )
    return bool(found[0])


def require_relation(connection: duckdb.DuckDBPyConnection, relation: str, db_path: Path) -> None:
    """Refuse to go on without a mart, saying how to make it."""
    if not relation_exists(connection, relation):
        raise WarehouseError(
            f"{relation} is missing from {db_path}: run `dbt build` (with this file as "
            "$TIKTOK_DUCKDB_PATH) first"
        )


def column_types(connection: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """Column -> DuckDB type name, in the relation's column order."""
    schema, table = split_relation(relation)
    rows = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return {name: data_type for name, data_type in rows}


def replace_table(connection: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Create or replace `ml.<table>` with the rows of an Arrow table."""
    relation = quote_relation(f"{ML_SCHEMA}.{table}")
    connection.register("incoming_rows", data)
    connection.execute(f"create or replace table {relation} as select * from incoming_rows")
    connection.unregister("incoming_rows")


def append_rows(connection: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Append an Arrow table to the existing `ml.<table>`, matching columns by name."""
    relation = quote_relation(f"{ML_SCHEMA}.{table}")
    connection.register("incoming_rows", data)
    connection.execute(f"insert into {relation} by name select * from incoming_rows")
    connection.unregister("incoming_rows")
