"""The one way the report reads the warehouse: every statement goes through `read_rows`.

`read_rows` asks DuckDB's own parser which relations a statement names and records them in
`RELATIONS_READ`, so a test can check that each figure comes from the relations it declares,
and that those are `reporting.*` or `ml.*` (see `report.figures.Figure.relations`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from ml.db import reading, relation_exists, require_relation

# Every relation a statement of this process has read, in the order first read.
RELATIONS_READ: dict[str, None] = {}
_PARSER: duckdb.DuckDBPyConnection | None = None

__all__ = [
    "RELATIONS_READ",
    "plain_frame",
    "query",
    "read",
    "read_columns",
    "read_raw",
    "read_rows",
    "reading",
    "relation_exists",
    "relations_of",
    "require_relation",
]


def relations_of(sql: str) -> list[str]:
    """The qualified relations a statement names (DuckDB's parser; placeholders as null)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = duckdb.connect()
    unparameterised = re.sub(r"\?|\$\w+", "null", sql)
    names = _PARSER.get_table_names(unparameterised, qualified=True)
    return sorted(name.split(" AS ")[0] for name in names)


def _record(sql: str) -> None:
    for relation in relations_of(sql):
        RELATIONS_READ.setdefault(relation, None)


def read_rows(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] | None = None
) -> list[tuple[Any, ...]]:
    """Run one statement, recording the relations it reads; every row, as tuples."""
    _record(sql)
    return con.execute(sql, list(parameters or [])).fetchall()


def read_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """The column names of a relation (recorded as read)."""
    sql = f"select * from {relation} limit 0"
    _record(sql)
    return [column[0] for column in con.execute(sql).description]


def read(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] | None = None
) -> pd.DataFrame:
    """Run one statement, recording the relations it reads; a frame with plain columns."""
    _record(sql)
    return plain_frame(con.execute(sql, list(parameters or [])).df())


def read_raw(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """Run one statement, recording the relations it reads; DuckDB's own frame, unconverted."""
    _record(sql)
    return con.execute(sql).df()


def query(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """`read` without parameters (the warehouse queries' name for it)."""
    return read(con, sql)


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """pandas' nullable string and integer columns as object and float64 columns.

    Floats are rounded to 12 significant digits: DuckDB adds floats in parallel, in an order
    that can change the last bits from run to run, and a chart's spec should not change
    (its PNG is redrawn only when it does).
    """
    for column in frame.columns:
        dtype = frame[column].dtype
        if not pd.api.types.is_extension_array_dtype(dtype) and not isinstance(
            dtype, pd.StringDtype
        ):
            if pd.api.types.is_object_dtype(dtype):
                frame[column] = frame[column].where(frame[column].notna(), None)
        elif isinstance(dtype, pd.StringDtype) or pd.api.types.is_bool_dtype(dtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif pd.api.types.is_numeric_dtype(dtype):
            frame[column] = frame[column].astype("float64")
        if pd.api.types.is_float_dtype(frame[column].dtype):
            frame[column] = frame[column].map(_twelve_digits)
    return frame


def _twelve_digits(value: float) -> float:
    """`value` rounded to 12 significant digits (NaN stays NaN)."""
    return float(f"{value:.12g}") if math.isfinite(value) else value
