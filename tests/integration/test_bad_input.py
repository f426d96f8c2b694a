"""Bad input: real-world export formats load to the same marts, corrupt rows are quarantined,
unusable files fail with the file, line and column named, and nothing is lost on the way.

Every case starts from the embedded synthetic seed (always present), rewritten the way another
tool would have saved it, and is built with `dbt build --vars '{raw_videos_path: ...}'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import EXPORT_HEADER, REPO_ROOT, dbt_run, run_dbt_build

from warehouse import dbt

SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"
MARTS = ["videos", "claim_features", "engagement_by_status", "outlier_summary"]
MART_KEYS = {
    "videos": ["video_id"],
    "claim_features": ["video_id"],
    "engagement_by_status": ["claim_status", "author_ban_status"],
    "outlier_summary": ["column_name"],
}


def seed_rows() -> tuple[list[str], list[list[str]]]:
    """The seed's header and rows, as text exactly as written."""
    with SEED.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def write_csv(path: Path, header: list[str], rows: list[list[str]], **options: object) -> Path:
    with path.open("w", newline="", encoding=str(options.pop("encoding", "utf-8"))) as handle:
        writer = csv.writer(handle, lineterminator=str(options.pop("lineterminator", "\n")))
        writer.writerow(header)
        writer.writerows(rows)
    return path


def build(
    tmp_path: Path, source: Path | None, variables: dict[str, object] | None = None
) -> tuple[Path, str, int]:
    """Build into a fresh database; return its path, dbt's output and the exit code."""
    db_path = tmp_path / "tiktok.duckdb"
    db_path.unlink(missing_ok=True)
    result = run_dbt_build(db_path, tmp_path, source, variables)
    return db_path, result.stdout + result.stderr, result.returncode


def read_marts(db_path: Path) -> dict[str, pd.DataFrame]:
    """The marts, without the columns that name the export (its file name and dates)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            mart: con.execute(f"select * from marts.{mart}")
            .df()
            .drop(
                columns=["source_file", "first_export_date", "latest_export_date"], errors="ignore"
            )
            .sort_values(MART_KEYS[mart], na_position="last")
            .reset_index(drop=True)
            for mart in MARTS
        }


@pytest.fixture(scope="module")
def canonical_marts(seed_warehouse: Path) -> dict[str, pd.DataFrame]:
    """The marts built from the seed file itself: the session's `seed_warehouse` (the embedded
    export is this file, read by the same loader as any `raw_videos_path`)."""
    return read_marts(seed_warehouse)


# --- formats a real export comes in -------------------------------------------------------


def na_spellings(path: Path) -> Path:
    header, rows = seed_rows()
    spellings = ["#N/A", "NA", "null", ""]
    rewritten = [
        [value if value != "" else spellings[i % len(spellings)] for value in row]
        for i, row in enumerate(rows)
    ]
    return write_csv(path, header, rewritten)


def bom_and_crlf(path: Path) -> Path:
    header, rows = seed_rows()
    return write_csv(path, header, rows, encoding="utf-8-sig", lineterminator="\r\n")


def pandas_index_and_float_counts(path: Path) -> Path:
    # pandas reads counts with gaps as floats and writes them back as 343296.0, with its index.
    pd.read_csv(SEED).to_csv(path)
    assert ".0," in path.read_text()
    return path


def first_column_named_id(path: Path) -> Path:
    header, rows = seed_rows()
    return write_csv(path, ["id", *header[1:]], rows)


def first_column_missing(path: Path) -> Path:
    header, rows = seed_rows()
    return write_csv(path, header[1:], [row[1:] for row in rows])


def quotes_escaped_by_backslash(path: Path) -> Path:
    header, rows = seed_rows()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", doublequote=False, escapechar="\\")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    assert '\\"' in text, "the seed should have transcripts with quotes"
    path.write_text(text, encoding="utf-8")
    return path


def quotes_escaped_by_doubling(path: Path) -> Path:
    header, rows = seed_rows()
    text = write_csv(path, header, rows).read_text(encoding="utf-8")
    assert '""' in text
    return path


def parquet(path: Path) -> Path:
    path = path.with_suffix(".parquet")
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_csv('{SEED}', header = true, "
            "types = {'video_id': 'bigint'})) "
            f"to '{path}' (format parquet)"
        )
    return path


FORMATS: dict[str, Callable[[Path], Path]] = {
    "missing values as #N/A, NA, null or empty": na_spellings,
    "UTF-8 byte-order mark and CRLF line endings": bom_and_crlf,
    "pandas index column and counts written as floats": pandas_index_and_float_counts,
    "first column named id": first_column_named_id,
    "first column missing": first_column_missing,
    "quotes escaped by backslash": quotes_escaped_by_backslash,
    "quotes escaped by doubling": quotes_escaped_by_doubling,
    "parquet": parquet,
}


@pytest.mark.parametrize("variant", FORMATS, ids=list(FORMATS))
def test_export_format_gives_the_canonical_marts(
    variant: str, tmp_path: Path, canonical_marts: dict[str, pd.DataFrame]
) -> None:
    source = FORMATS[variant](tmp_path / "export.csv")
    db_path, output, code = build(tmp_path, source)
    assert code == 0, output[-4000:]
    marts = read_marts(db_path)
    for mart, frame in canonical_marts.items():
        pd.testing.assert_frame_equal(marts[mart], frame, check_exact=False, rtol=1e-12)
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute(
            "select count(*) from intermediate.int_export_rows_quarantined"
        ).fetchone() == (0,)


# --- corrupt rows -------------------------------------------------------------------------


def corrupt(row: list[str], column: str, value: str) -> list[str]:
    row = list(row)
    row[EXPORT_HEADER.index(column)] = value
    return row


def test_corrupt_rows_are_quarantined_with_their_reason(tmp_path: Path) -> None:
    header, all_rows = seed_rows()
    rows = all_rows[:2000]
    labeled = [row for row in rows if row[1] and row[7]]
    first, second = labeled[0], labeled[1]
    expected = {
        # source row number: (column, reason)
        first[0]: ("video_view_count", "video_view_count is negative"),
        second[0]: ("video_like_count", "video_like_count is not a number"),
        labeled[2][0]: ("claim_status", "claim_status is not claim or opinion"),
        labeled[3][0]: ("video_duration_sec", "duration is zero or negative"),
        labeled[4][0]: ("video_duration_sec", "duration is zero or negative"),
        labeled[5][0]: ("video_comment_count", "video_comment_count exceeds video_view_count"),
        labeled[6][0]: (
            "author_ban_status",
            "author_ban_status is not active, under review or banned",
        ),
    }
    replaced = {
        first[0]: corrupt(first, "video_view_count", "-1"),
        second[0]: corrupt(second, "video_like_count", "lots"),
        labeled[2][0]: corrupt(labeled[2], "claim_status", " Maybe "),
        labeled[3][0]: corrupt(labeled[3], "video_duration_sec", "0"),
        labeled[4][0]: corrupt(labeled[4], "video_duration_sec", "-7"),
        labeled[5][0]: corrupt(labeled[5], "video_comment_count", str(int(labeled[5][7]) + 1)),
        labeled[6][0]: corrupt(labeled[6], "author_ban_status", "suspended"),
    }
    body = [replaced.get(row[0], row) for row in rows]
    # Claim and case spellings that are fine once trimmed and folded are not rejected.
    body[10] = corrupt(body[10], "verified_status", f"  {body[10][5].upper()} ")
    # A duplicate video id: the first row keeps it, the later copy is quarantined.
    duplicate = corrupt(labeled[7], "#", "900001")
    expected["900001"] = ("video_id", f"duplicate video_id: row {labeled[7][0]} has it and is kept")
    # A row with too many fields and one with too few.
    too_many = [*labeled[8][:-1], "900002", "7", "8"]
    too_few = labeled[9][:5]
    path = tmp_path / "export.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([*body, duplicate])
        writer.writerow(too_many)
        writer.writerow(too_few)
        writer.writerows(all_rows[2000:2010])  # the file goes on after the bad lines
    db_path, output, code = build(tmp_path, path)
    assert code == 0, output[-4000:]

    with duckdb.connect(str(db_path), read_only=True) as con:
        rejected = con.execute(
            "select cast(source_row_number as varchar), source_line, rejected_column, "
            "rejection_reason from intermediate.int_export_rows_quarantined"
        ).fetchall()
        clean_ids = {row[0] for row in con.execute("select video_id from marts.videos").fetchall()}
        counts = con.execute(
            "select (select count(*) from intermediate.int_videos_cleaned), "
            "(select count(*) from marts.videos)"
        ).fetchone()

    first_bad_line = 1 + len(body) + 1 + 1  # header, body, the duplicate
    too_many_fields, too_few_fields = labeled[8][0], labeled[9][0]
    expected[too_many_fields] = ("*", "the row has more fields than the header")
    expected[too_few_fields] = ("verified_status", "the row has fewer fields than the header")
    by_row = {row[0]: (row[2], row[3]) for row in rejected}
    assert by_row == expected
    # Rows the reader could not parse carry their line in the file too.
    lines = {row[0]: row[1] for row in rejected if row[1] is not None}
    assert lines[too_many_fields] == first_bad_line
    assert lines[too_few_fields] == first_bad_line + 1
    assert lines[second[0]] == rows.index(second) + 2
    # Reconciliation: every line of data is either a video or in the quarantine.
    total_lines = len(body) + 1 + 2 + 10
    assert counts[0] + len(rejected) == total_lines
    assert counts[0] == counts[1]
    rejected_ids = {int(replaced[key][2]) for key in replaced}
    assert not rejected_ids & clean_ids
    assert int(labeled[7][2]) in clean_ids  # the kept copy of the duplicate


def test_too_many_rejected_rows_fail_the_build(tmp_path: Path) -> None:
    header, rows = seed_rows()
    rows = rows[:1000]
    rows = [
        corrupt(row, "video_duration_sec", "-1") if i % 10 == 0 else row
        for i, row in enumerate(rows)
    ]
    path = write_csv(tmp_path / "export.csv", header, rows)
    _, output, code = build(tmp_path, path)
    assert code != 0
    assert "100 of 1000 input rows (10.0%)" in output
    assert "max_rejected_share = 5%" in output
    assert "duration is zero or negative" in output
    db_path, output, code = build(tmp_path, path, {"max_rejected_share": 0.2})
    assert code == 0, output[-4000:]
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute(
            "select count(*) from intermediate.int_export_rows_quarantined"
        ).fetchone() == (100,)
        assert con.execute("select count(*) from marts.videos").fetchone() == (900,)


# --- unusable files -----------------------------------------------------------------------


def unusable_cases(tmp_path: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each unusable file, with the phrases its error message must contain."""
    header, rows = seed_rows()
    text = write_csv(tmp_path / "whole.csv", header, rows[:500]).read_text()
    cases: dict[str, tuple[Path, list[str]]] = {}

    truncated = tmp_path / "truncated.csv"
    truncated.write_text(text[: len(text) - 25])
    cases["truncated"] = (truncated, [str(truncated), "line 501", "column ", "truncated"])

    header_only = tmp_path / "header_only.csv"
    header_only.write_text(",".join(header) + "\n")
    cases["header only"] = (header_only, [str(header_only), "no rows of data"])

    missing = tmp_path / "does_not_exist.csv"
    cases["missing"] = (missing, [str(missing), "there is no export there"])

    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text(text.replace(",", ";"))
    cases["wrong delimiter"] = (semicolons, [str(semicolons), "line 1", "not comma-separated"])

    no_views = tmp_path / "no_views.csv"
    pd.read_csv(tmp_path / "whole.csv").drop(columns="video_view_count").to_csv(
        no_views, index=False
    )
    cases["required column absent"] = (no_views, [str(no_views), "line 1", "video_view_count"])
    return cases


@pytest.mark.parametrize(
    "case", ["truncated", "header only", "missing", "wrong delimiter", "required column absent"]
)
def test_unusable_file_fails_naming_file_line_and_column(case: str, tmp_path: Path) -> None:
    path, phrases = unusable_cases(tmp_path)[case]
    db_path, output, code = build(tmp_path, path)
    assert code != 0
    for phrase in phrases:
        assert phrase in output, f"{phrase!r} not in dbt's output:\n{output[-3000:]}"
    if db_path.exists():  # nothing half-built reaches the marts (the time spine needs no export)
        with duckdb.connect(str(db_path), read_only=True) as con:
            marts = con.execute(
                "select count(*) from duckdb_tables() where schema_name = 'marts' "
                "and table_name != 'metricflow_time_spine'"
            ).fetchone()
        assert marts == (0,)


def test_path_with_quote_and_semicolon_is_read_safely(tmp_path: Path) -> None:
    folder = tmp_path / "it's; drop table x; --"
    folder.mkdir()
    path = folder / "export.csv"
    path.write_bytes(SEED.read_bytes())
    db_path, output, code = build(tmp_path, path)
    assert code == 0, output[-4000:]
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from marts.videos").fetchone() == (19_382,)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"outlier_iqr_multiplier": "1.5); drop table raw.tiktok_export; --"}, "non-negative"),
        ({"outlier_method": "q3'; drop table x; --"}, "method must be 'median' or 'q3'"),
        ({"max_rejected_share": "0.05 or true"}, "number from 0 to 1"),
    ],
)
def test_vars_that_are_not_values_are_refused(
    variables: dict[str, object], message: str, tmp_path: Path
) -> None:
    with pytest.raises(dbt.DbtError) as refused:
        dbt_run(
            ["build"],
            db_path=tmp_path / "tiktok.duckdb",
            variables=variables,
            work_dir=tmp_path,
            check=True,
        )
    assert message in refused.value.output
    # warehouse.dbt's error is one line that names the problem.
    assert "\n" not in str(refused.value)
    assert message in str(refused.value)
