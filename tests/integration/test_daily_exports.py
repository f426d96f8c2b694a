"""Daily exports: a folder of exports loaded day by day equals a full refresh over the folder.

Three exports made from the embedded seed (rows by position, 1-based):
- 2026-11-01.csv: rows 1-3,000. Rows 1-100 are not labelled yet, rows 101-200 carry half their
  counts, rows 201-250 have active authors.
- 2026-11-02.csv: rows 3,001-6,000, then rows 1-250 reported again as the seed has them:
  labelled late, with their full counts, and their authors banned.
- 2026-11-03.parquet: rows 6,001-9,000, the first 20 of them repeated (same `#`, same id).
The last appearance of every video is its seed row (rows 201-250 banned), so the marts must
describe exactly those 9,000 videos, however the folder was loaded.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import REPO_ROOT, dbt_run, run_dbt_build, run_warehouse

from warehouse.build import parts_dir
from warehouse.project import COUNT_COLUMNS

SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"
COUNTS = list(COUNT_COLUMNS)
MARTS = {
    "marts.videos": "video_id",
    "marts.claim_features": "video_id",
    "marts.engagement_by_status": "claim_status, author_ban_status",
    "marts.outlier_summary": "column_name",
}


def seed() -> pd.DataFrame:
    return pd.read_csv(SEED, dtype={"claim_status": "string", **dict.fromkeys(COUNTS, "Int64")})


def write_days(folder: Path) -> dict[str, Path]:
    """The three exports described above; returns them by day."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = seed()
    day1 = rows.iloc[:3000].copy()
    day1.loc[day1.index[:100], "claim_status"] = pd.NA
    halved = day1.index[100:200]
    for column in COUNTS:
        day1.loc[halved, column] = (day1.loc[halved, column] // 2).to_numpy()
    day1.loc[day1.index[200:250], "author_ban_status"] = "active"
    day2 = pd.concat([rows.iloc[3000:6000], rows.iloc[:250]])
    day2.loc[day2.index[-50:], "author_ban_status"] = "banned"
    day2["#"] = range(1, len(day2) + 1)
    day3 = pd.concat([rows.iloc[6000:9000], rows.iloc[6000:6020]])
    paths = {
        "2026-11-01": folder / "2026-11-01.csv",
        "2026-11-02": folder / "2026-11-02.csv",
        "2026-11-03": folder / "2026-11-03.parquet",
    }
    day1.to_csv(paths["2026-11-01"], index=False)
    day2.to_csv(paths["2026-11-02"], index=False)
    day3.to_parquet(paths["2026-11-03"], index=False)
    return paths


def expected_final_state() -> pd.DataFrame:
    rows = seed().iloc[:9000].copy()
    rows.loc[rows.index[200:250], "author_ban_status"] = "banned"
    return rows


def ml_build(db_path: Path, exports: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_warehouse(db_path, *args, exports=exports)


def built(db_path: Path, exports: Path, *args: str) -> None:
    result = ml_build(db_path, exports, *args)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def read(db_path: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).df()


def marts(db_path: Path) -> dict[str, pd.DataFrame]:
    return {
        relation: read(db_path, f"select * from {relation} order by {key}")
        for relation, key in MARTS.items()
    }


def history(db_path: Path) -> pd.DataFrame:
    return read(db_path, "select * from snapshots.video_history order by video_id, dbt_valid_from")


@pytest.fixture(scope="module")
def daily(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Path]]:
    """A warehouse loaded the way operations load it: one new export in the folder a day."""
    work = tmp_path_factory.mktemp("daily")
    made = write_days(work / "made")
    exports = work / "exports"
    exports.mkdir()
    db_path = work / "daily.duckdb"
    for path in made.values():
        shutil.copy2(path, exports / path.name)
        built(db_path, exports)
    return db_path, exports, made


@pytest.fixture(scope="module")
def first_day(
    daily: tuple[Path, Path, dict[str, Path]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A warehouse that has loaded the first export only, built once for the tests below."""
    _, _, made = daily
    work = tmp_path_factory.mktemp("first_day")
    exports = work / "exports"
    exports.mkdir()
    shutil.copy2(made["2026-11-01"], exports / made["2026-11-01"].name)
    db_path = work / "first_day.duckdb"
    built(db_path, exports)
    return db_path


def first_day_copy(first_day: Path, made: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of `first_day` (the file, under the same name: DuckDB names its catalog after the
    file, and the views name the catalog; and its parts), with its exports folder."""
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy2(made["2026-11-01"], exports / made["2026-11-01"].name)
    db_path = tmp_path / first_day.name
    shutil.copy2(first_day, db_path)
    shutil.copytree(parts_dir(first_day), parts_dir(db_path))
    return db_path


def test_day_by_day_gives_the_marts_of_a_full_refresh(
    daily: tuple[Path, Path, dict[str, Path]], tmp_path: Path
) -> None:
    db_path, exports, _ = daily
    full = tmp_path / "tiktok.duckdb"
    # One dbt build over the whole folder, as an analytics engineer would run it by hand.
    result = run_dbt_build(full, tmp_path, raw_videos_path=exports)
    assert result.returncode == 0, result.stdout[-4000:]
    day_by_day, at_once = marts(db_path), marts(full)
    for relation in MARTS:
        pd.testing.assert_frame_equal(day_by_day[relation], at_once[relation], obj=relation)
    assert len(day_by_day["marts.videos"]) == 9000


def test_marts_hold_each_videos_latest_state(daily: tuple[Path, Path, dict[str, Path]]) -> None:
    db_path, _, _ = daily
    videos = read(db_path, "select * from marts.videos order by video_id").set_index("video_id")
    expected = expected_final_state().set_index("video_id").sort_index()
    assert videos.index.equals(expected.index)
    for column in [*COUNTS, "claim_status", "author_ban_status", "verified_status"]:
        assert videos[column].astype("object").where(videos[column].notna(), None).tolist() == (
            expected[column].astype("object").where(expected[column].notna(), None).tolist()
        ), column
    rows = seed()
    # Late labels reach the training mart; re-reports carry their new counts; bans show.
    late = rows["video_id"].iloc[:100]
    labelled = read(db_path, "select video_id from marts.claim_features")["video_id"]
    assert late[rows["claim_status"].iloc[:100].notna()].isin(labelled).all()
    reported_again = videos.loc[rows["video_id"].iloc[:250]]
    assert (reported_again["first_export_date"].astype(str) == "2026-11-01").all()
    assert (reported_again["latest_export_date"].astype(str) == "2026-11-02").all()
    assert (reported_again["source_file"] == "2026-11-02.csv").all()
    once = videos.loc[rows["video_id"].iloc[6000:9000]]
    assert (once["first_export_date"] == once["latest_export_date"]).all()


def test_ledger_and_quarantine_account_for_every_row(
    daily: tuple[Path, Path, dict[str, Path]],
) -> None:
    db_path, _, _ = daily
    ledger = read(
        db_path, "select * from intermediate.int_export_files_loaded order by source_file"
    )
    assert ledger["source_file"].tolist() == [
        "2026-11-01.csv",
        "2026-11-02.csv",
        "2026-11-03.parquet",
    ]
    assert ledger["rows_read"].tolist() == [3000, 3250, 3020]
    assert ledger["rows_accepted"].tolist() == [3000, 3250, 3000]
    assert ledger["rows_quarantined"].tolist() == [0, 0, 20]
    assert ledger["export_date"].astype(str).tolist() == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert ledger["invocation_id"].nunique() == 3
    # The exact repeats are quarantined, not a failure: the first copy is kept.
    quarantine = read(db_path, "select * from intermediate.int_export_rows_quarantined")
    assert len(quarantine) == 20
    assert (quarantine["source_file"] == "2026-11-03.parquet").all()
    assert quarantine["rejection_reason"].str.startswith("duplicate video_id: row ").all()


def test_history_keeps_every_version_valid_between_export_dates(
    daily: tuple[Path, Path, dict[str, Path]],
) -> None:
    db_path, _, made = daily
    snapshot = history(db_path)
    rows = seed()
    versions = snapshot.groupby("video_id").size()
    # Of rows 1-250, those whose label, counts or ban changed on the second day have two
    # versions; the others (unlabelled in the seed too, no counts to halve) one.
    watched = ["claim_status", "author_ban_status", *COUNTS]
    day1 = pd.read_csv(
        made["2026-11-01"], dtype={"claim_status": "string", **dict.fromkeys(COUNTS, "Int64")}
    ).iloc[:250]
    final = expected_final_state().iloc[:250]
    before, after = day1[watched].reset_index(drop=True), final[watched].reset_index(drop=True)
    same = (before == after).fillna(False) | (before.isna() & after.isna())
    changed = final["video_id"][~same.all(axis=1).to_numpy()]
    assert 200 < len(changed) < 250  # a few seed rows are unlabelled, with no counts
    assert (versions.loc[changed] == 2).all()
    assert versions.drop(changed).eq(1).all()
    assert len(versions) == 9000
    first = snapshot[snapshot["video_id"].isin(changed) & snapshot["dbt_valid_to"].notna()]
    assert (first["dbt_valid_from"].dt.strftime("%F %T") == "2026-11-01 00:00:00").all()
    assert (first["dbt_valid_to"].dt.strftime("%F %T") == "2026-11-02 00:00:00").all()
    assert len(first) == len(changed)
    banned = snapshot[snapshot["video_id"].isin(rows["video_id"].iloc[200:250])]
    assert sorted(set(banned["author_ban_status"])) == ["active", "banned"]


def test_a_build_with_no_new_file_changes_nothing(
    daily: tuple[Path, Path, dict[str, Path]],
) -> None:
    db_path, exports, _ = daily
    before = (
        marts(db_path),
        history(db_path),
        read(db_path, "select * from intermediate.int_export_files_loaded"),
    )
    parts = sorted((db_path.parent / f"{db_path.name}.parts").iterdir())
    built(db_path, exports)
    after = (
        marts(db_path),
        history(db_path),
        read(db_path, "select * from intermediate.int_export_files_loaded"),
    )
    for one, other in zip(before[0].values(), after[0].values(), strict=True):
        pd.testing.assert_frame_equal(one, other)
    pd.testing.assert_frame_equal(before[1], after[1])
    pd.testing.assert_frame_equal(before[2], after[2])
    assert sorted((db_path.parent / f"{db_path.name}.parts").iterdir()) == parts


def reporting_tables(db_path: Path) -> dict[str, pd.DataFrame]:
    """Every table of the reporting schema, each in a stable order."""
    tables = read(
        db_path,
        "select table_name from information_schema.tables "
        "where table_schema = 'reporting' order by 1",
    )["table_name"]
    return {
        table: read(db_path, f"select * from reporting.{table}")
        .pipe(lambda frame: frame.sort_values(list(frame.columns)))
        .reset_index(drop=True)
        for table in tables
    }


def test_a_full_refresh_rebuilds_the_same_history(
    daily: tuple[Path, Path, dict[str, Path]], tmp_path: Path
) -> None:
    db_path, exports, _ = daily
    copy = tmp_path / "refreshed.duckdb"
    result = ml_build(copy, exports, "--full-refresh")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    pd.testing.assert_frame_equal(history(db_path), history(copy))
    for one, other in zip(marts(db_path).values(), marts(copy).values(), strict=True):
        pd.testing.assert_frame_equal(one, other)
    # Three exports, three dbt builds: the population-wide tables (the reporting tables, the
    # marts' aggregates) only in the last, and equal to those of the day-by-day warehouse.
    assert result.stdout.count("(the population-wide tables after the last)") == 2
    assert result.stdout.count("OK created sql table model reporting.rpt_measure_stats") == 1
    assert result.stdout.count("OK created sql table model marts.engagement_by_status") == 1
    day_by_day, at_once = reporting_tables(db_path), reporting_tables(copy)
    assert len(day_by_day) == 16 and day_by_day.keys() == at_once.keys()
    for table, frame in day_by_day.items():
        pd.testing.assert_frame_equal(frame, at_once[table], obj=table)


def test_an_export_delivered_twice_is_skipped(
    daily: tuple[Path, Path, dict[str, Path]], first_day: Path, tmp_path: Path
) -> None:
    _, _, made = daily
    db_path = first_day_copy(first_day, made, tmp_path)
    exports = tmp_path / "exports"
    # The same export again, under another name: skipped, nothing counted twice.
    shutil.copy2(made["2026-11-01"], exports / "2026-11-01-resent.csv")
    result = ml_build(db_path, exports)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "skipping export" in result.stdout
    assert "same content as '2026-11-01.csv'" in result.stdout
    ledger = read(
        db_path, "select source_file, rows_read from intermediate.int_export_files_loaded"
    )
    assert ledger.values.tolist() == [["2026-11-01.csv", 3000]]
    assert read(db_path, "select count(*) as n from marts.videos")["n"][0] == 3000


def test_a_changed_export_is_refused_and_nothing_is_published(
    daily: tuple[Path, Path, dict[str, Path]], first_day: Path, tmp_path: Path
) -> None:
    _, _, made = daily
    db_path = first_day_copy(first_day, made, tmp_path)
    exports = tmp_path / "exports"
    day1 = exports / made["2026-11-01"].name
    published = db_path.read_bytes()
    lines = day1.read_text().splitlines(keepends=True)
    day1.write_text("".join(lines[:-1]))  # one row fewer
    result = ml_build(db_path, exports)
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert f"export '{day1}' was loaded on" in output
    assert "its content has changed" in output
    assert "--full-refresh" in output
    assert db_path.read_bytes() == published


def test_a_bad_export_in_the_middle_is_refused_naming_it(
    daily: tuple[Path, Path, dict[str, Path]], first_day: Path, tmp_path: Path
) -> None:
    _, _, made = daily
    db_path = first_day_copy(first_day, made, tmp_path)
    exports = tmp_path / "exports"
    published = db_path.read_bytes()
    # The second day is cut off in the middle of a row; the third is fine.
    lines = made["2026-11-02"].read_text().splitlines()[:1000]
    lines[-1] = ",".join(lines[-1].split(",")[:-3])
    (exports / "2026-11-02.csv").write_text("\n".join(lines) + "\n")
    shutil.copy2(made["2026-11-03"], exports / made["2026-11-03"].name)
    result = ml_build(db_path, exports)
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert f"export '{exports / '2026-11-02.csv'}', line " in output
    assert "The file looks truncated" in output
    assert db_path.read_bytes() == published


def run_analyses(db_path: Path, work: Path, *names: str) -> dict[str, pd.DataFrame]:
    """Compile analyses against a copy of `db_path` and run them on it."""
    copy = work / db_path.name
    shutil.copy2(db_path, copy)
    result = dbt_run(
        ["compile", "--quiet", "--select", *names, "--target-path", str(work / "target")],
        db_path=copy,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    compiled = work / "target" / "compiled" / "tiktok_claims" / "analyses"
    return {name: read(copy, (compiled / f"{name}.sql").read_text()) for name in names}


def test_history_answers_when_videos_were_labelled_and_who_was_banned_after_going_viral(
    daily: tuple[Path, Path, dict[str, Path]], tmp_path: Path
) -> None:
    db_path, _, made = daily
    results = run_analyses(
        db_path,
        tmp_path,
        "analysis_when_videos_were_labelled",
        "analysis_authors_banned_after_viral_claims",
    )
    rows = seed()
    labelled = results["analysis_when_videos_were_labelled"].set_index("video_id")
    first_hundred = rows.iloc[:100]
    late = first_hundred["video_id"][first_hundred["claim_status"].notna().to_numpy()]
    assert set(labelled.index[labelled["days_unlabelled"] == 1]) == set(late)
    assert (labelled.drop(late)["days_unlabelled"] == 0).all()
    assert len(labelled) == read(db_path, "select count(*) as n from marts.claim_features")["n"][0]

    threshold = read(
        db_path,
        "select threshold from marts.outlier_summary where column_name = 'video_view_count'",
    )["threshold"][0]
    day1 = pd.read_csv(made["2026-11-01"]).iloc[200:250]
    final = expected_final_state().iloc[200:250]
    is_viral_claim = (final["claim_status"] == "claim").fillna(False) & (
        final["video_view_count"] > threshold
    ).fillna(False)
    viral_claims = final[is_viral_claim.to_numpy()]
    banned = results["analysis_authors_banned_after_viral_claims"]
    assert set(banned["video_id"]) == set(viral_claims["video_id"])
    assert len(banned) > 0
    assert (banned["banned_export_date"].astype(str) == "2026-11-02").all()
    # Day 1 held these videos' real counts (rows 201-250 were not halved): viral on day 1.
    assert set(day1["video_id"]) >= set(banned["video_id"])
    assert (banned["viral_export_date"].astype(str) == "2026-11-01").all()
