"""Tests of the synthetic export generator and of the committed seed it wrote.

Reference figures are the real export's (19,382 rows); the last tests read the real file
itself, through the `real_dataset` fixture of the root conftest, to check that nothing of it
leaked into the seed.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import REPO_ROOT

from synthetic import daily_exports, single_export
from synthetic.daily_returns import BAN_RATE, LATE_LABEL_RATE, REREPORT_RATE, REVISIT_WINDOW_DAYS
from synthetic.schema import DEFAULT_SEED, SCHEMA
from synthetic.tables import DATA_PATH, OPENING_COUNTS
from warehouse.project import COUNT_COLUMNS

COMMITTED_SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"
HEADER = (
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,"
    "video_download_count,video_comment_count"
)
COUNTS = list(COUNT_COLUMNS)

# The real export's figures.
REAL_CLASS_ROWS = {"claim": 9_608, "opinion": 9_476, "unlabeled": 298}
REAL_MEDIAN_VIEWS = {"claim": 501_555, "opinion": 4_953}
REAL_MEDIAN_LIKES_PER_VIEW = {"claim": 0.330, "opinion": 0.218}
REAL_VERIFIED_SHARE = {"claim": 209 / 9_608, "opinion": 991 / 9_476}
REAL_BAN_MIX = {
    "claim": {"active": 6_566 / 9_608, "banned": 1_439 / 9_608, "under review": 1_603 / 9_608},
    "opinion": {"active": 8_817 / 9_476, "banned": 196 / 9_476, "under review": 463 / 9_476},
}
OPENING_CLASS = {opening: label for label, counts in OPENING_COUNTS.items() for opening in counts}


def run_cli(*args: str) -> None:
    """Run `python -m synthetic` from the repository root."""
    subprocess.run(
        [sys.executable, "-m", "synthetic", *args],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )


def read_export(path: Path) -> pd.DataFrame:
    """An export CSV with nullable integer counts and string text."""
    return pd.read_csv(path, dtype={column: "Int64" for column in COUNTS})


def split_opening(text: str) -> tuple[str, str]:
    """`(opening, fact)` of a transcript; fails unless exactly one known opening starts it."""
    words = text.split(" ")
    cuts = [k for k in range(1, len(words)) if " ".join(words[:k]) in OPENING_CLASS]
    assert len(cuts) == 1, f"{len(cuts)} known openings start {text!r}"
    return " ".join(words[: cuts[0]]), " ".join(words[cuts[0] :])


def class_of(frame: pd.DataFrame) -> pd.Series:
    """claim_status with unlabeled rows named."""
    return frame["claim_status"].fillna("unlabeled")


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    """The committed seed."""
    return read_export(COMMITTED_SEED)


@pytest.fixture(scope="module")
def labeled(seed: pd.DataFrame) -> pd.DataFrame:
    """The committed seed's labelled rows."""
    return seed[seed["claim_status"].notna()]


# Reproducibility and the writers.


def test_cli_default_run_reproduces_committed_seed(tmp_path: Path) -> None:
    out = tmp_path / "tiktok_dataset.csv"
    run_cli("--out", str(out))
    assert out.read_bytes() == COMMITTED_SEED.read_bytes()


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    first, again, other = (tmp_path / name for name in ("a.csv", "b.csv", "c.csv"))
    single_export.write(first, rows=2_000, seed=7)
    single_export.write(again, rows=2_000, seed=7)
    single_export.write(other, rows=2_000, seed=8)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


@pytest.mark.parametrize("rows", [0, 1, 1_234])
def test_cli_writes_requested_rows(tmp_path: Path, rows: int) -> None:
    out = tmp_path / "export.csv"
    run_cli("--rows", str(rows), "--seed", "3", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    lines = text.splitlines()
    assert lines[0] == HEADER
    assert len(lines) == rows + 1
    assert read_export(out)["#"].tolist() == list(range(1, rows + 1))


def test_csv_is_written_as_pythons_minimal_quoting_would(seed: pd.DataFrame) -> None:
    text = COMMITTED_SEED.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rewritten = io.StringIO()
    csv.writer(rewritten, lineterminator="\n").writerows(rows)
    assert rewritten.getvalue() == text
    assert any('"' in row[4] for row in rows) and any("," in row[4] for row in rows)
    assert all(cell.isdigit() for row in rows[1:] for cell in row[7:] if cell)
    unlabeled = [row for row in rows[1:] if not row[1]]
    assert len(unlabeled) == seed["claim_status"].isna().sum()
    assert all(row[4] == "" and row[7:] == [""] * 5 for row in unlabeled)


def test_parquet_has_explicit_types_and_same_values_as_csv(tmp_path: Path) -> None:
    csv_path, parquet_path = tmp_path / "export.csv", tmp_path / "export.parquet"
    single_export.write(csv_path, rows=3_000, seed=11, fmt="csv")
    single_export.write(parquet_path, rows=3_000, seed=11, fmt="parquet")
    from_parquet = pq.read_table(parquet_path)
    assert from_parquet.schema.equals(SCHEMA)
    for name in ["#", "video_id", "video_duration_sec", *COUNTS]:
        assert from_parquet.schema.field(name).type == pa.int64()
    from_csv = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(column_types=SCHEMA, strings_can_be_null=True),
    )
    assert from_csv.cast(SCHEMA).equals(from_parquet)


def test_multi_chunk_files_stay_unique_and_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(single_export, "CHUNK_ROWS", 1_000)
    batches = list(single_export.generate(rows=3_500, seed=5))
    assert [batch.num_rows for batch in batches] == [1_000, 1_000, 1_000, 500]
    table = pa.Table.from_batches(batches)
    assert table.column("#").to_pylist() == list(range(1, 3_501))
    assert len(set(table.column("video_id").to_pylist())) == 3_500
    labels = pd.Series(table.column("claim_status").to_pylist()).fillna("unlabeled")
    # 3,500 rows in the real proportions, rounded: 1735 / 1711 / 54.
    assert labels.value_counts().to_dict() == {"claim": 1_735, "opinion": 1_711, "unlabeled": 54}


def test_invalid_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rows"):
        single_export.generate(rows=-1)
    with pytest.raises(ValueError, match="seed"):
        single_export.generate(rows=10, seed=-1)
    with pytest.raises(ValueError, match="fmt"):
        single_export.write(tmp_path / "x.json", rows=10, fmt="json")
    assert not (tmp_path / "x.json").exists()


# Shape and distributions of the committed seed.


def test_seed_shape_and_class_counts(seed: pd.DataFrame) -> None:
    assert COMMITTED_SEED.read_text(encoding="utf-8").splitlines()[0] == HEADER
    assert len(seed) == 19_382
    assert seed["#"].tolist() == list(range(1, 19_383))
    counts = class_of(seed).value_counts()
    for label, real in REAL_CLASS_ROWS.items():
        assert abs(counts[label] - real) <= 0.03 * real, (label, counts[label], real)


def test_unlabeled_rows_have_empty_text_and_counts(seed: pd.DataFrame) -> None:
    unlabeled = seed[seed["claim_status"].isna()]
    assert unlabeled[["video_transcription_text", *COUNTS]].isna().all().all()
    required = ["video_id", "video_duration_sec", "verified_status", "author_ban_status"]
    assert unlabeled[required].notna().all().all()
    labeled = seed[seed["claim_status"].notna()]
    assert labeled[["video_transcription_text", *COUNTS]].notna().all().all()


def test_durations_and_video_ids(seed: pd.DataFrame) -> None:
    assert seed["video_duration_sec"].between(5, 60).all()
    assert seed["video_duration_sec"].nunique() == 56
    assert seed["video_id"].is_unique
    assert seed["video_id"].astype(str).str.fullmatch(r"[1-9]\d{9}").all()


def test_engagement_counts_are_nested(labeled: pd.DataFrame) -> None:
    views, likes = labeled["video_view_count"], labeled["video_like_count"]
    assert (labeled[COUNTS] >= 0).all().all()
    for column in COUNTS[1:]:
        assert (labeled[column] <= views).all(), column
    assert (labeled["video_share_count"] <= likes).all()
    assert (labeled["video_download_count"] <= likes).all()
    assert (labeled["video_comment_count"] <= labeled["video_download_count"]).all()


def test_views_and_like_rates_per_class(labeled: pd.DataFrame) -> None:
    by_class = labeled.groupby("claim_status")
    medians = by_class["video_view_count"].median()
    for label, real in REAL_MEDIAN_VIEWS.items():
        assert abs(medians[label] - real) <= 0.1 * real, (label, medians[label], real)
    assert medians["claim"] > 50 * medians["opinion"]
    assert labeled.loc[labeled["claim_status"] == "opinion", "video_view_count"].max() < 10_000
    like_rate = (labeled["video_like_count"] / labeled["video_view_count"]).groupby(
        labeled["claim_status"]
    )
    for label, real in REAL_MEDIAN_LIKES_PER_VIEW.items():
        assert abs(like_rate.median()[label] - real) <= 0.03, label


def test_verified_share_and_ban_mix_per_class(labeled: pd.DataFrame) -> None:
    verified = (labeled["verified_status"] == "verified").groupby(labeled["claim_status"]).mean()
    for label, real in REAL_VERIFIED_SHARE.items():
        assert abs(verified[label] - real) <= 0.015, (label, verified[label], real)
    ban_mix = pd.crosstab(labeled["claim_status"], labeled["author_ban_status"], normalize="index")
    for label, mix in REAL_BAN_MIX.items():
        for status, real in mix.items():
            assert abs(ban_mix.loc[label, status] - real) <= 0.02, (label, status)


def test_transcripts_open_with_their_class_opening(labeled: pd.DataFrame) -> None:
    texts = labeled["video_transcription_text"]
    openings = texts.map(lambda text: split_opening(text)[0])
    assert (openings.map(OPENING_CLASS) == labeled["claim_status"]).all()
    assert set(openings) == set(OPENING_CLASS)
    for label, counts in OPENING_COUNTS.items():
        share = openings[labeled["claim_status"] == label].value_counts(normalize=True)
        expected = pd.Series(counts) / sum(counts.values())
        assert (share - expected).abs().max() < 0.01, label


def test_transcripts_are_varied_lower_case_text(labeled: pd.DataFrame) -> None:
    texts = labeled["video_transcription_text"]
    assert texts.nunique() >= 15_000
    assert texts.map(lambda text: split_opening(text)[1]).nunique() >= 10_000
    assert (texts == texts.str.lower()).all()
    assert 0.05 <= texts.str.contains(",").mean() <= 0.12
    assert texts.str.contains('"').any()
    assert texts.str.contains(r"[^\x00-\x7f]").any()


# Nothing of the real export in the seed.


@pytest.mark.real_data
def test_seed_shares_no_ids_or_text_with_real_export(
    real_dataset: Path, seed: pd.DataFrame
) -> None:
    real = read_export(real_dataset)
    assert not set(real["video_id"]) & set(seed["video_id"])
    real_texts = set(real["video_transcription_text"].dropna())
    seed_texts = set(seed["video_transcription_text"].dropna())
    assert not real_texts & seed_texts
    real_facts = {split_opening(text)[1] for text in real_texts}
    assert not real_facts & {split_opening(text)[1] for text in seed_texts}


@pytest.mark.real_data
def test_opening_table_matches_real_export(real_dataset: Path) -> None:
    real = read_export(real_dataset).dropna(subset=["claim_status"])
    openings = real["video_transcription_text"].map(lambda text: split_opening(text)[0])
    for label, counts in OPENING_COUNTS.items():
        assert openings[real["claim_status"] == label].value_counts().to_dict() == counts


@pytest.mark.real_data
def test_data_file_holds_no_real_transcript(real_dataset: Path) -> None:
    data_text = DATA_PATH.read_text(encoding="utf-8")
    real_texts = read_export(real_dataset)["video_transcription_text"].dropna()
    assert len(real_texts) > 19_000
    assert not [text for text in real_texts if text in data_text]


# Daily exports.

DAY_ROWS = 1_000
DAYS = 10
STEADY_DAYS = range(REVISIT_WINDOW_DAYS, DAYS)  # the window is full from here on
VERIFIED = {"verified", "not verified"}
BAN_STATUSES = {"active", "under review", "banned"}


def as_frame(table: pa.Table) -> pd.DataFrame:
    """A daily table as pandas, integers nullable (as `read_export` reads the counts)."""
    return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def read_daily(path: Path) -> pa.Table:
    """A daily export file (csv, csv.gz or parquet) as a table in the export's schema."""
    if path.suffix == ".parquet":
        return pq.read_table(path)
    options = pacsv.ConvertOptions(column_types=SCHEMA, strings_can_be_null=True)
    return pacsv.read_csv(path, convert_options=options).cast(SCHEMA)


def loader_rejections(frame: pd.DataFrame) -> pd.Series:
    """Rows that stg_tiktok__videos would quarantine: its checks, written in pandas."""
    counts = frame[COUNTS].astype("Float64")
    views = counts["video_view_count"]
    duration = frame["video_duration_sec"].astype("Float64")
    claim_status = frame["claim_status"].str.strip().str.lower()
    rejected = (
        frame["#"].isna()
        | frame["video_id"].isna()
        | (frame["video_id"] <= 0)
        | duration.isna()
        | (duration != duration.round())
        | (duration <= 0)
        | (claim_status.notna() & ~claim_status.isin(["claim", "opinion"]))
        | ~frame["verified_status"].str.strip().str.lower().isin(VERIFIED)
        | ~frame["author_ban_status"].str.strip().str.lower().isin(BAN_STATUSES)
    )
    for column in COUNTS:
        rejected |= (counts[column] != counts[column].round()).fillna(False)
        rejected |= (counts[column] < 0).fillna(False)
    for column in COUNTS[1:]:
        rejected |= (counts[column] > views).fillna(False)
    return rejected.astype(bool)


@pytest.fixture(scope="module")
def daily() -> list[tuple[object, pd.DataFrame]]:
    """`DAYS` daily exports of `DAY_ROWS` rows, as (date, frame)."""
    return [(day, as_frame(table)) for day, table in daily_exports.generate_days(DAYS, DAY_ROWS, 3)]


@pytest.fixture(scope="module")
def appearances(daily: list[tuple[object, pd.DataFrame]]) -> pd.DataFrame:
    """Every row of every day with its day index, the video's first day and its previous row."""
    frames = [frame.assign(day=index) for index, (_, frame) in enumerate(daily)]
    rows = pd.concat(frames, ignore_index=True).sort_values(["video_id", "day"])
    rows["first_day"] = rows.groupby("video_id")["day"].transform("min")
    previous = rows.groupby("video_id")[
        ["day", "claim_status", "author_ban_status", "video_transcription_text", *COUNTS]
    ].shift(1)
    return rows.join(previous.add_prefix("prev_"))


def test_cli_writes_one_dated_export_per_day_in_order(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    run_cli("--days", "4", "--rows", "300", "--start-date", "2026-12-30", "--out", str(out))
    names = sorted(path.name for path in out.iterdir())
    assert names == ["2026-12-30.csv", "2026-12-31.csv", "2027-01-01.csv", "2027-01-02.csv"]
    tables = daily_exports.generate_days(4, 300, DEFAULT_SEED, "2026-12-30")
    for name, (day, table) in zip(names, tables, strict=True):
        text = (out / name).read_text(encoding="utf-8")
        assert text.splitlines()[0] == HEADER and text.endswith("\n")
        assert name == f"{day.isoformat()}.csv"
        assert read_daily(out / name).equals(table)
        assert table.column("#").to_pylist() == list(range(1, 301))


def test_cli_mixed_format_writes_readable_csv_gz_and_parquet(tmp_path: Path) -> None:
    run_cli("--days", "4", "--rows", "200", "--format", "mixed", "--out", str(tmp_path))
    paths = sorted(tmp_path.iterdir())
    suffixes = ["".join(path.suffixes) for path in paths]
    assert suffixes == [".csv", ".csv.gz", ".parquet", ".csv"]
    assert (tmp_path / "2026-11-02.csv.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert pq.read_schema(tmp_path / "2026-11-03.parquet").equals(SCHEMA)
    tables = daily_exports.generate_days(4, 200)
    for path, (_, table) in zip(paths, tables, strict=True):
        assert read_daily(path).equals(table), path.name
    gz = pd.read_csv(tmp_path / "2026-11-02.csv.gz", dtype={column: "Int64" for column in COUNTS})
    assert len(gz) == 200 and not loader_rejections(gz).any()


def test_daily_exports_are_deterministic(tmp_path: Path) -> None:
    first, again, other = (tmp_path / name for name in ("a", "b", "c"))
    daily_exports.write_days(first, 5, 300, seed=7, fmt="mixed")
    daily_exports.write_days(again, 5, 300, seed=7, fmt="mixed")
    daily_exports.write_days(other, 5, 300, seed=8, fmt="mixed")
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name
        assert path.read_bytes() != (other / path.name).read_bytes(), path.name
    # A day's rows depend on (seed, rows, its index) only: not on the number of days or the date.
    shorter = [table for _, table in daily_exports.generate_days(3, 300, 7, "2030-01-01")]
    for path, table in zip(sorted(first.iterdir())[:3], shorter, strict=True):
        assert read_daily(path).equals(table), path.name


def test_every_row_of_every_day_passes_the_loader(daily: list[tuple[object, pd.DataFrame]]) -> None:
    for day, frame in daily:
        assert len(frame) == DAY_ROWS, day
        assert frame["#"].tolist() == list(range(1, DAY_ROWS + 1)), day
        assert frame["video_id"].is_unique, day
        assert not loader_rejections(frame).any(), day
        assert frame["video_duration_sec"].between(5, 60).all(), day
        assert (frame["video_share_count"] <= frame["video_like_count"]).all()
        assert (frame["video_download_count"] <= frame["video_like_count"]).all()
        assert (frame["video_comment_count"] <= frame["video_download_count"]).all()


def test_loader_rules_in_pandas_catch_bad_rows(daily: list[tuple[object, pd.DataFrame]]) -> None:
    good = daily[0][1].dropna(subset=["claim_status"]).head(1)
    bad = [
        good.assign(video_like_count=good["video_view_count"] + 1),
        good.assign(video_duration_sec=0),
        good.assign(claim_status="maybe"),
        good.assign(author_ban_status="gone"),
        good.assign(video_comment_count=-1),
        good.assign(video_id=pd.NA),
    ]
    assert not loader_rejections(good).any()
    assert all(loader_rejections(frame).all() for frame in bad)


def test_unlabeled_rows_with_and_without_text_and_counts(
    daily: list[tuple[object, pd.DataFrame]],
) -> None:
    frame = pd.concat([frame for _, frame in daily])
    labeled = frame[frame["claim_status"].notna()]
    assert labeled[["video_transcription_text", *COUNTS]].notna().all().all()
    unlabeled = frame[frame["claim_status"].isna()]
    bare = unlabeled["video_transcription_text"].isna()
    # As the single-file export: nothing but ids and statuses ...
    assert unlabeled.loc[bare, COUNTS].isna().all().all() and bare.sum() > 50
    # ... or reported, not yet labelled: a transcript and counts.
    assert unlabeled.loc[~bare, COUNTS].notna().all().all() and (~bare).sum() > 100


def test_re_reports_come_back_later_with_counts_that_never_decrease(
    appearances: pd.DataFrame,
) -> None:
    again = appearances[appearances["day"] > appearances["first_day"]]
    assert not (again["day"] == 0).any()
    assert (again["day"] - again["first_day"]).between(1, REVISIT_WINDOW_DAYS).all()
    assert (again["day"] > again["prev_day"]).all()
    for column in COUNTS:
        assert (again[column] >= again[f"prev_{column}"]).all(), column
    assert (again["video_view_count"] > again["prev_video_view_count"]).mean() > 0.9
    assert (again["video_transcription_text"] == again["prev_video_transcription_text"]).all()
    constant = ["video_duration_sec", "verified_status", "video_transcription_text"]
    assert (appearances.groupby("video_id")[constant].nunique() <= 1).all().all()
    per_day = again.groupby("day").size() / DAY_ROWS
    # Steady state: re-reports + late labels + bans.
    rates = REREPORT_RATE + LATE_LABEL_RATE + BAN_RATE
    assert per_day[list(STEADY_DAYS)].between(rates - 0.01, rates + 0.01).all(), per_day


def test_late_labels_go_from_empty_to_the_transcripts_class(appearances: pd.DataFrame) -> None:
    late = appearances[
        appearances["prev_claim_status"].isna()
        & appearances["prev_day"].notna()
        & appearances["claim_status"].notna()
    ]
    first_rows = appearances[appearances["day"] == appearances["first_day"]]
    pending = first_rows.set_index("video_id").loc[late["video_id"]]
    assert pending["claim_status"].isna().all()
    assert pending["video_transcription_text"].notna().all()
    openings = late["video_transcription_text"].map(lambda text: split_opening(text)[0])
    assert (openings.map(OPENING_CLASS) == late["claim_status"]).all()
    assert set(late["claim_status"]) == {"claim", "opinion"}
    # Once shown, a label never changes or goes away.
    labels = appearances.dropna(subset=["claim_status"]).groupby("video_id")["claim_status"]
    assert (labels.nunique() == 1).all()
    after = appearances.merge(late[["video_id", "day"]], on="video_id", suffixes=("", "_label"))
    assert after.loc[after["day"] >= after["day_label"], "claim_status"].notna().all()
    per_day = late.groupby("day").size() / DAY_ROWS
    assert per_day[list(STEADY_DAYS)].between(0.02, 0.04).all(), per_day


def test_bans_go_to_banned_and_mostly_after_claims_went_viral(appearances: pd.DataFrame) -> None:
    changed = appearances[
        appearances["prev_author_ban_status"].notna()
        & (appearances["author_ban_status"] != appearances["prev_author_ban_status"])
    ]
    assert (changed["author_ban_status"] == "banned").all()
    assert set(changed["prev_author_ban_status"]) == {"active", "under review"}
    per_day = changed.groupby("day").size() / DAY_ROWS
    assert per_day[list(STEADY_DAYS)].between(0.005, 0.015).all(), per_day
    first_views = appearances.groupby("video_id")["video_view_count"].transform("first")
    went_viral = appearances["video_view_count"] >= 1.5 * first_views
    claims_again = appearances[
        (appearances["claim_status"] == "claim") & (appearances["day"] > appearances["first_day"])
    ]
    banned = claims_again.index.isin(changed.index)
    viral_share_banned = went_viral[claims_again.index[banned]].mean()
    viral_share_other = went_viral[claims_again.index[~banned]].mean()
    assert (changed["claim_status"] == "claim").mean() > 0.6
    assert viral_share_banned > viral_share_other + 0.15, (viral_share_banned, viral_share_other)


def test_daily_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="days"):
        daily_exports.generate_days(-1)
    with pytest.raises(ValueError, match="rows_per_day"):
        daily_exports.generate_days(2, -5)
    with pytest.raises(ValueError, match="start_date"):
        daily_exports.generate_days(2, 10, start_date="01/11/2026")
    with pytest.raises(ValueError, match="fmt"):
        daily_exports.write_days(tmp_path, 2, 10, fmt="json")
    (tmp_path / "2020-01-01.csv").write_text("old\n")
    with pytest.raises(ValueError, match=r"2020-01-01\.csv"):
        daily_exports.write_days(tmp_path, 2, 10)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2020-01-01.csv"]
    done = subprocess.run(
        [sys.executable, "-m", "synthetic", "--format", "mixed", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--format mixed needs --days" in done.stderr
