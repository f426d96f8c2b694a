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

from ml import synthetic

REPO_ROOT = Path(synthetic.__file__).resolve().parents[1]
COMMITTED_SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"
HEADER = (
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,"
    "video_download_count,video_comment_count"
)
COUNTS = list(synthetic.COUNT_COLUMNS)

# The real export's figures.
REAL_CLASS_ROWS = {"claim": 9_608, "opinion": 9_476, "unlabeled": 298}
REAL_MEDIAN_VIEWS = {"claim": 501_555, "opinion": 4_953}
REAL_MEDIAN_LIKES_PER_VIEW = {"claim": 0.330, "opinion": 0.218}
REAL_VERIFIED_SHARE = {"claim": 209 / 9_608, "opinion": 991 / 9_476}
REAL_BAN_MIX = {
    "claim": {"active": 6_566 / 9_608, "banned": 1_439 / 9_608, "under review": 1_603 / 9_608},
    "opinion": {"active": 8_817 / 9_476, "banned": 196 / 9_476, "under review": 463 / 9_476},
}
OPENING_CLASS = {
    opening: label for label, counts in synthetic.OPENING_COUNTS.items() for opening in counts
}


def run_cli(*args: str) -> None:
    """Run `python -m ml.synthetic` from the repository root."""
    subprocess.run(
        [sys.executable, "-m", "ml.synthetic", *args],
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
    synthetic.write(first, rows=2_000, seed=7)
    synthetic.write(again, rows=2_000, seed=7)
    synthetic.write(other, rows=2_000, seed=8)
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
    synthetic.write(csv_path, rows=3_000, seed=11, fmt="csv")
    synthetic.write(parquet_path, rows=3_000, seed=11, fmt="parquet")
    from_parquet = pq.read_table(parquet_path)
    assert from_parquet.schema.equals(synthetic.SCHEMA)
    for name in ["#", "video_id", "video_duration_sec", *COUNTS]:
        assert from_parquet.schema.field(name).type == pa.int64()
    from_csv = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(
            column_types=synthetic.SCHEMA, strings_can_be_null=True
        ),
    )
    assert from_csv.cast(synthetic.SCHEMA).equals(from_parquet)


def test_multi_chunk_files_stay_unique_and_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synthetic, "CHUNK_ROWS", 1_000)
    batches = list(synthetic.generate(rows=3_500, seed=5))
    assert [batch.num_rows for batch in batches] == [1_000, 1_000, 1_000, 500]
    table = pa.Table.from_batches(batches)
    assert table.column("#").to_pylist() == list(range(1, 3_501))
    assert len(set(table.column("video_id").to_pylist())) == 3_500
    labels = pd.Series(table.column("claim_status").to_pylist()).fillna("unlabeled")
    # 3,500 rows in the real proportions, rounded: 1735 / 1711 / 54.
    assert labels.value_counts().to_dict() == {"claim": 1_735, "opinion": 1_711, "unlabeled": 54}


def test_invalid_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rows"):
        synthetic.generate(rows=-1)
    with pytest.raises(ValueError, match="seed"):
        synthetic.generate(rows=10, seed=-1)
    with pytest.raises(ValueError, match="fmt"):
        synthetic.write(tmp_path / "x.json", rows=10, fmt="json")
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
    for label, counts in synthetic.OPENING_COUNTS.items():
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
    for label, counts in synthetic.OPENING_COUNTS.items():
        assert openings[real["claim_status"] == label].value_counts().to_dict() == counts


@pytest.mark.real_data
def test_data_file_holds_no_real_transcript(real_dataset: Path) -> None:
    data_text = synthetic.DATA_PATH.read_text(encoding="utf-8")
    real_texts = read_export(real_dataset)["video_transcription_text"].dropna()
    assert len(real_texts) > 19_000
    assert not [text for text in real_texts if text in data_text]
