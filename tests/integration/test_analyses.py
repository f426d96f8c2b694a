"""Analyses: each one, compiled by dbt and run on the real warehouse, equals pandas' own figure.

All analyses are compiled in one `dbt compile` against the `real_warehouse` fixture's file; each
compiled query then runs on that file through a read-only DuckDB connection. pandas reads the
real CSV itself and answers the same question the way the original notebook did (`groupby`,
`agg`, `median`, `quantile`), sharing no code with the SQL. Counts must match exactly, floats to
1e-9 relative, and the columns (names and order) and the rows' order too.

Every `analyses/*.sql` needs an oracle here: `test_every_analysis_has_an_oracle` fails otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import dbt_run

from warehouse import project

REPO_ROOT = Path(__file__).resolve().parents[2]
ANALYSES_DIR = REPO_ROOT / "analyses"
PROJECT_NAME = "tiktok_claims"
RTOL = 1e-9

COUNT_COLUMNS = list(project.COUNT_COLUMNS)
RATES = {
    "likes_per_view": "video_like_count",
    "comments_per_view": "video_comment_count",
    "shares_per_view": "video_share_count",
}
ENUM_COLUMNS = ["claim_status", "verified_status", "author_ban_status"]
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}


# --- oracles: pandas on the CSV, one per analysis -------------------------------------------

Oracle = Callable[[pd.DataFrame], pd.DataFrame]
ORACLES: dict[str, Oracle] = {}


def oracle(name: str) -> Callable[[Oracle], Oracle]:
    """Register `function` as the pandas answer to the analysis `name`."""

    def register(function: Oracle) -> Oracle:
        ORACLES[name] = function
        return function

    return register


def describe(export: pd.DataFrame, by: list[str], measures: dict[str, str]) -> pd.DataFrame:
    """Rows per group, then count (non-null), mean and median of each measure, as `agg` does."""
    groups = export.groupby(by, dropna=False)
    result = groups.size().rename("video_count").to_frame()
    for name, column in measures.items():
        result[f"count_{name}"] = groups[column].count()
        result[f"mean_{name}"] = groups[column].mean()
        result[f"median_{name}"] = groups[column].median()
    return result.reset_index()


def sort_rows(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The analyses' row order: by `keys`, nulls last."""
    return frame.sort_values(keys, na_position="last").reset_index(drop=True)


@oracle("analysis_claim_status_counts")
def claim_status_counts(export: pd.DataFrame) -> pd.DataFrame:
    counts = export.groupby("claim_status", dropna=False).size().rename("video_count")
    result = counts.reset_index()
    result["share_of_videos"] = result["video_count"] / len(export)
    return sort_rows(result, ["claim_status"])


@oracle("analysis_views_by_claim_status")
def views_by_claim_status(export: pd.DataFrame) -> pd.DataFrame:
    result = describe(export, ["claim_status"], {"views": "video_view_count"})
    return sort_rows(result, ["claim_status"])


@oracle("analysis_videos_by_claim_and_ban_status")
def videos_by_claim_and_ban_status(export: pd.DataFrame) -> pd.DataFrame:
    keys = ["claim_status", "author_ban_status"]
    result = export.groupby(keys, dropna=False).size().rename("video_count").reset_index()
    per_claim_status = result.groupby("claim_status", dropna=False)["video_count"]
    result["share_of_claim_status"] = result["video_count"] / per_claim_status.transform("sum")
    return sort_rows(result, keys)


@oracle("analysis_median_shares_by_ban_status")
def median_shares_by_ban_status(export: pd.DataFrame) -> pd.DataFrame:
    medians = export.groupby("author_ban_status")["video_share_count"].median()
    result = medians.rename("median_shares").reset_index()
    result["ratio_to_active"] = result["median_shares"] / medians["active"]
    return sort_rows(result, ["author_ban_status"])


@oracle("analysis_engagement_by_ban_status")
def engagement_by_ban_status(export: pd.DataFrame) -> pd.DataFrame:
    measures = {
        "views": "video_view_count",
        "likes": "video_like_count",
        "shares": "video_share_count",
    }
    return sort_rows(describe(export, ["author_ban_status"], measures), ["author_ban_status"])


@oracle("analysis_engagement_rates_by_claim_and_ban_status")
def engagement_rates_by_claim_and_ban_status(export: pd.DataFrame) -> pd.DataFrame:
    keys = ["claim_status", "author_ban_status"]
    return sort_rows(describe(export, keys, {rate: rate for rate in RATES}), keys)


@oracle("analysis_outlier_counts")
def outlier_counts(export: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for position, column in enumerate(COUNT_COLUMNS, start=1):
        values = export[column].dropna()
        q1, median, q3 = values.quantile([0.25, 0.5, 0.75])
        threshold = median + 1.5 * (q3 - q1)
        outliers = int((values > threshold).sum())
        rows.append(
            {
                "column_position": position,
                "column_name": column,
                "value_count": len(values),
                "median": median,
                "q1": q1,
                "q3": q3,
                "iqr": q3 - q1,
                "threshold": threshold,
                "outlier_count": outliers,
                "outlier_share": outliers / len(values),
            }
        )
    return pd.DataFrame(rows)


@oracle("analysis_median_views_by_status")
def median_views_by_status(export: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for grouped_by in ["author_ban_status", "claim_status"]:
        medians = export.groupby(grouped_by, dropna=False)["video_view_count"].median()
        part = medians.rename("median_views").rename_axis("status").reset_index()
        part.insert(0, "grouped_by", grouped_by)
        parts.append(part)
    return sort_rows(pd.concat(parts, ignore_index=True), ["grouped_by", "status"])


@oracle("analysis_view_share_by_claim_status")
def view_share_by_claim_status(export: pd.DataFrame) -> pd.DataFrame:
    groups = export.groupby("claim_status", dropna=False)
    result = groups.size().rename("video_count").to_frame()
    # min_count=1: a group without any view count sums to null, as SQL's sum does.
    result["total_views"] = groups["video_view_count"].sum(min_count=1).astype("Int64")
    result["share_of_views"] = result["total_views"] / export["video_view_count"].sum()
    return sort_rows(result.reset_index(), ["claim_status"])


@oracle("analysis_videos_by_claim_and_verified_status")
def videos_by_claim_and_verified_status(export: pd.DataFrame) -> pd.DataFrame:
    keys = ["claim_status", "verified_status"]
    result = export.groupby(keys, dropna=False).size().rename("video_count").reset_index()
    per_verified_status = result.groupby("verified_status")["video_count"]
    result["share_of_verified_status"] = result["video_count"] / per_verified_status.transform(
        "sum"
    )
    return sort_rows(result, keys)


# --- fixtures: the CSV as pandas reads it, the analyses as dbt compiles them ----------------


@dataclass(frozen=True)
class CompiledAnalyses:
    """The compiled SQL of every analysis and the manifest of the compile."""

    sql: dict[str, str]
    manifest: dict[str, Any]

    def node(self, name: str) -> dict[str, Any]:
        return self.manifest["nodes"][f"analysis.{PROJECT_NAME}.{name}"]


@oracle("analysis_when_videos_were_labelled")
def when_videos_were_labelled(export: pd.DataFrame) -> pd.DataFrame:
    # One export: every labelled video was labelled in the export that first showed it.
    # (tests/integration/test_daily_exports.py checks late labels over several exports.)
    labelled = export[export["claim_status"].notna()]
    result = pd.DataFrame(
        {
            "video_id": labelled["video_id"],
            "claim_status": labelled["claim_status"],
            "first_export_date": labelled["export_date"],
            "labelled_export_date": labelled["export_date"],
            "days_unlabelled": 0,
        }
    )
    return sort_rows(result, ["video_id"])


@oracle("analysis_authors_banned_after_viral_claims")
def authors_banned_after_viral_claims(export: pd.DataFrame) -> pd.DataFrame:
    # One export: no video has an earlier version whose author was not banned yet, so none.
    # (tests/integration/test_daily_exports.py checks bans that come in a later export.)
    columns = {
        "video_id": "int64",
        "views_when_viral": "float64",
        "viral_export_date": "datetime64[us]",
        "banned_export_date": "datetime64[us]",
        "days_from_viral_to_ban": "int64",
    }
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in columns.items()})


@pytest.fixture(scope="module")
def export(real_dataset: Path) -> pd.DataFrame:
    """The real export as pandas reads it, enums normalised, with the per-view rates and its
    export date (its name holds no date: the day it was last modified, UTC)."""
    df = pd.read_csv(real_dataset)
    modified = datetime.fromtimestamp(real_dataset.stat().st_mtime, tz=UTC).date()
    df["export_date"] = pd.Timestamp(modified)
    for column in ENUM_COLUMNS:
        df[column] = df[column].str.strip().str.lower()
    views = df["video_view_count"].where(df["video_view_count"] != 0)
    for rate, count in RATES.items():
        df[rate] = df[count] / views
    return df


@pytest.fixture(scope="module")
def compiled_analyses(
    real_warehouse: Path, real_dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> CompiledAnalyses:
    """Every analysis compiled in one `dbt compile` against the real warehouse's file.

    `--no-populate-cache` keeps dbt from opening the file (nothing to introspect), so the
    compile cannot collide with a reader holding it.
    """
    work_dir = tmp_path_factory.mktemp("analyses")
    target_path = work_dir / "target"
    result = dbt_run(
        ["compile", "--no-populate-cache", "--select", "resource_type:analysis"],
        db_path=real_warehouse,
        variables={"raw_videos_path": str(real_dataset)},
        work_dir=work_dir,
    )
    if result.returncode != 0:
        pytest.fail(f"dbt compile failed ({' '.join(result.args)}):\n{result.stdout[-6000:]}")
    compiled_dir = target_path / "compiled" / PROJECT_NAME / "analyses"
    sql = {path.stem: path.read_text() for path in sorted(compiled_dir.glob("*.sql"))}
    manifest = json.loads((target_path / "manifest.json").read_text())
    return CompiledAnalyses(sql=sql, manifest=manifest)


def run_analysis(db_path: Path, sql: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The analysis's result and each column's DuckDB type, from a read-only connection."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        relation = con.sql(sql)
        types = dict(zip(relation.columns, map(str, relation.types), strict=True))
        return relation.df(), types


def as_python(values: pd.Series) -> list[Any]:
    """Values as plain Python objects, every kind of missing value as None."""
    return [None if pd.isna(value) else value for value in values.astype(object)]


def assert_result_matches(
    result: pd.DataFrame, types: dict[str, str], expected: pd.DataFrame
) -> None:
    """Same columns in the same order, same rows in the same order, same values."""
    assert list(result.columns) == list(expected.columns), "columns differ"
    assert len(result) == len(expected), "row counts differ"
    for column in expected.columns:
        got, want = result[column], expected[column]
        if pd.api.types.is_integer_dtype(want):
            assert types[column] in INTEGER_TYPES, f"{column} is {types[column]}, not a count"
            assert as_python(got) == as_python(want), f"column {column} differs"
        elif pd.api.types.is_float_dtype(want):
            np.testing.assert_allclose(
                got.astype("float64").to_numpy(na_value=np.nan),
                want.astype("float64").to_numpy(na_value=np.nan),
                rtol=RTOL,
                atol=0,
                equal_nan=True,
                err_msg=f"column {column}",
            )
        else:
            assert as_python(got) == as_python(want), f"column {column} differs"


# --- tests ----------------------------------------------------------------------------------


def test_every_analysis_has_an_oracle() -> None:
    """A new analysis without a pandas check here fails; so does a check without its analysis."""
    analyses = {path.stem for path in ANALYSES_DIR.glob("*.sql")}
    assert analyses, f"no analyses in {ANALYSES_DIR}"
    assert sorted(analyses - ORACLES.keys()) == [], "analyses without an oracle"
    assert sorted(ORACLES.keys() - analyses) == [], "oracles without an analysis"


@pytest.mark.real_data
@pytest.mark.parametrize("name", sorted(ORACLES))
def test_analysis_equals_pandas(
    name: str,
    compiled_analyses: CompiledAnalyses,
    real_warehouse: Path,
    export: pd.DataFrame,
) -> None:
    assert name in compiled_analyses.sql, f"dbt did not compile {name}"
    result, types = run_analysis(real_warehouse, compiled_analyses.sql[name])
    assert_result_matches(result, types, ORACLES[name](export))


@pytest.mark.real_data
def test_analyses_read_only_marts_and_are_documented(
    compiled_analyses: CompiledAnalyses, real_warehouse: Path
) -> None:
    """Each analysis refs marts, reporting models (or the history snapshot) only, and
    `_analyses.yml` describes it and its columns."""
    marts = {
        unique_id
        for unique_id, node in compiled_analyses.manifest["nodes"].items()
        if (node["resource_type"] == "model" and node["fqn"][1] in {"marts", "reporting"})
        or node["resource_type"] == "snapshot"
    }
    for name, sql in compiled_analyses.sql.items():
        node = compiled_analyses.node(name)
        upstream = set(node["depends_on"]["nodes"])
        assert upstream, f"{name} reads no model"
        assert upstream <= marts, f"{name} reads non-mart nodes {sorted(upstream - marts)}"
        assert node["description"].strip(), f"{name} has no description in _analyses.yml"
        result, _ = run_analysis(real_warehouse, sql)
        documented = list(node["columns"])
        assert documented == list(result.columns), f"{name}: documented columns differ"


@pytest.mark.real_data
def test_headline_figures_of_the_original_analysis(
    compiled_analyses: CompiledAnalyses, real_warehouse: Path
) -> None:
    """9,608 claims, 9,476 opinions, 298 unlabeled; banned authors' median shares 33x active's."""
    counts, _ = run_analysis(real_warehouse, compiled_analyses.sql["analysis_claim_status_counts"])
    by_status = {
        ("unlabeled" if pd.isna(status) else status): count
        for status, count in zip(counts["claim_status"], counts["video_count"], strict=True)
    }
    assert by_status == {"claim": 9_608, "opinion": 9_476, "unlabeled": 298}

    shares, _ = run_analysis(
        real_warehouse, compiled_analyses.sql["analysis_median_shares_by_ban_status"]
    )
    median_shares = dict(zip(shares["author_ban_status"], shares["median_shares"], strict=True))
    assert round(median_shares["banned"] / median_shares["active"]) == 33
