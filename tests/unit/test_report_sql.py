"""The report reads finished tables: no SQL aggregation lives in the report package's Python.

Every number the report shows is computed once, in a `reporting.*` dbt model or an `ml.*` table;
the report only selects them. This checks the source, so it needs no data.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


# SQL that aggregates, anywhere in the source (none of it is Python or Vega-Lite).
SQL_AGGREGATION = re.compile(
    r"\bgroup\s+by\b|\bgrouping\s+sets\b|\b(quantile|percentile)_(cont|disc)\b|\bcount_if\b"
    r"|\bover\s*\(|\bfilter\s*\(\s*where\b|\bunpivot\b",
    re.IGNORECASE,
)
# Aggregate calls, inside the SQL statements only (a string literal with a `select`): Python's
# `max(...)` and Vega-Lite's "sum(video_count):Q" aggregate small finished tables.
SQL_AGGREGATE_CALL = re.compile(
    r"\b(count|sum|avg|min|max|median|mean|quantile|any_value|arg_min|arg_max|string_agg"
    r"|list|array_agg|stddev\w*|var_\w+|approx_\w+|histogram|mode|first|last)\s*\(",
    re.IGNORECASE,
)


def sql_aggregations(source: str) -> list[str]:
    """Every SQL aggregation in a Python module's source: the SQL-only words anywhere, and
    aggregate calls in the string literals (f-strings included) that hold a `select`."""
    found = [match.group(0) for match in SQL_AGGREGATION.finditer(source)]
    nodes = list(ast.walk(ast.parse(source)))
    f_string_parts = {
        id(part) for node in nodes if isinstance(node, ast.JoinedStr) for part in node.values
    }
    for node in nodes:
        if id(node) in f_string_parts:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if re.search(r"\bselect\b", text, re.IGNORECASE):
            found += [match.group(0) for match in SQL_AGGREGATE_CALL.finditer(text)]
    return found


def test_sql_aggregation_is_found() -> None:
    """The check below finds the kinds of aggregation the report used to hold."""
    assert sql_aggregations('sql = f"select count(*) from {VIDEOS}"') == ["count("]
    assert sql_aggregations('q = """select a, avg(b) from t group by 1"""') == [
        "group by",
        "avg(",
    ]
    assert sql_aggregations('x = "select sum(v) / sum(v) over () from t"') == [
        "over (",
        "sum(",
        "sum(",
    ]
    assert sql_aggregations('y = "quantile_cont(v, 0.5) filter (where s)"') == [
        "quantile_cont",
        "filter (where",
    ]
    # Python and Vega-Lite aggregates of finished tables are not SQL.
    source = 'y = alt.Y("sum(video_count):Q"); top = max(len(frame), 1)'
    assert sql_aggregations(source) == []


def test_report_python_holds_no_sql_aggregation() -> None:
    """The report reads finished tables: no `group by`, aggregate or window in its SQL."""
    files = sorted((REPO_ROOT / "report").rglob("*.py"))
    assert len(files) > 10
    found = {
        str(path.relative_to(REPO_ROOT)): hits
        for path in files
        if (hits := sql_aggregations(path.read_text(encoding="utf-8")))
    }
    assert found == {}, found
