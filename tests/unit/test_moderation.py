"""The moderation layer: novelty on rewritten framings, drift, calibration, the file scorer."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import CLAIM_OPENINGS, EXPORT_HEADER, OPINION_OPENINGS, TinyRun, tiny_videos

from ml import drift
from ml.novelty import OpeningNovelty
from ml.perturb import CLAIM_FRAMINGS, OPINION_FRAMINGS, perturb
from ml.score_file import score_file

FACTS = ["the moon is made of rock", "rivers flow to the sea", "owls hunt at night"] * 10


def test_novelty_is_zero_on_familiar_openings_and_high_on_rewritten_ones() -> None:
    """Trained on six framings, it scores them 0 and every written paraphrase above 0.3."""
    training = [
        f"{opening} {fact}" for opening in (*CLAIM_OPENINGS, *OPINION_OPENINGS) for fact in FACTS
    ]
    signal = OpeningNovelty(opening_tokens=4, min_df=2).fit(training)
    assert signal.novelty(training).max() == 0.0
    rewritten = [f"{framing} {FACTS[0]}" for framing in (*CLAIM_FRAMINGS, *OPINION_FRAMINGS)]
    assert signal.novelty(rewritten).min() > 0.3
    assert signal.novelty(["OK SO a friend read that the moon"])[0] > 0
    assert signal.novelty([None, ""]).tolist() == [1.0, 1.0]


def test_perturbation_suite_keeps_labels_and_content() -> None:
    """Framing rewrites keep the content after 'that' and the label; every kind is present."""
    frame = tiny_videos(labeled=40).dropna(subset=["video_transcription_text"])
    frame = frame.assign(is_claim=frame["claim_status"] == "claim")
    suite = perturb(frame, seed=3)
    claims = suite[suite["perturbation"] == "claim framing"]
    assert claims["is_claim"].all()
    assert claims["video_transcription_text"].str.startswith(CLAIM_FRAMINGS).all()
    assert set(suite["perturbation"]) >= {"hedge", "question", "typo", "casing", "extra words"}


def test_psi_is_small_on_the_same_data_and_raised_on_a_shifted_one() -> None:
    """PSI of a sample against itself is ~0; views multiplied by 20 cross the threshold."""
    rng = np.random.default_rng(0)
    views = rng.lognormal(8, 2, 5_000)
    status = rng.choice(["verified", "not verified"], 5_000, p=[0.1, 0.9])
    profile = drift.reference({"views": views, "status": pd.Series(status, dtype=object)})
    same = drift.measure(profile, {"views": rng.lognormal(8, 2, 5_000), "status": status})
    assert all(not row["drifted"] and row["psi"] < 0.05 for row in same)
    shifted = drift.measure(
        profile, {"views": views * 20, "status": np.full(5_000, "verified", dtype=object)}
    )
    assert all(row["drifted"] for row in shifted)
    assert "views" in (drift.warning(shifted) or "")


def test_calibrated_probabilities_and_reliability(tiny_run: TinyRun) -> None:
    """The champion is calibrated: a Brier score and reliability bins for the card."""
    settings = tiny_run.training.metrics["abstention"]["settings"]
    measured = settings["with counts"]
    assert 0.0 <= measured["brier_calibrated"] < 0.05
    bins = measured["reliability"]
    assert sum(point["videos"] for point in bins) == measured["test"]["rows"]
    assert 0.0 < measured["threshold"] < 1.0
    card = (tiny_run.artifacts_dir / "model_card.md").read_text()
    assert "Reliability diagram" in card and "Brier" in card


def write_export(path: Path) -> None:
    """A small export: 30 valid rows, one without counts, one bad duration, one bad id."""
    videos = tiny_videos(labeled=30).head(30)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_HEADER)
        number = 0
        for number, row in enumerate(videos.itertuples(index=False), start=1):
            writer.writerow(
                [
                    number,
                    row.claim_status,
                    row.video_id,
                    row.video_duration_sec,
                    row.video_transcription_text,
                    row.verified_status,
                    row.author_ban_status,
                    row.video_view_count,
                    row.video_like_count,
                    row.video_share_count,
                    row.video_download_count,
                    row.video_comment_count,
                ]
            )
        first = videos.iloc[0]
        writer.writerow(
            [
                number + 1,
                "",
                3_000_000_001,
                20,
                first.video_transcription_text,
                "verified",
                "active",
                "",
                "",
                "",
                "",
                "",
            ]
        )
        writer.writerow(
            [
                number + 2,
                "claim",
                3_000_000_002,
                -4,
                "a friend read that x",
                "verified",
                "active",
                1,
                1,
                1,
                1,
                1,
            ]
        )
        writer.writerow(
            [number + 3, "claim", "abc", 10, "text", "verified", "active", 1, 1, 1, 1, 1]
        )


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_file_scorer_one_row_per_input_row(tiny_run: TinyRun, tmp_path: Path, suffix: str) -> None:
    """Every input row comes out once; bad rows say the loader's reason; no counts still scores."""
    source = tmp_path / "export.csv"
    write_export(source)
    if suffix == ".parquet":
        frame = pd.read_csv(source).iloc[:-1]  # a Parquet file has typed columns: no 'abc' id
        source = tmp_path / "export.parquet"
        frame.to_parquet(source)
    output = tmp_path / f"scores{suffix}"
    summary = score_file(source, output, tiny_run.model_path)
    rows = pq.read_table(output).to_pandas() if suffix == ".parquet" else pd.read_csv(output)
    expected = 33 if suffix == ".csv" else 32
    assert len(rows) == summary.rows == expected
    assert summary.rejected == expected - 31
    bad = rows[rows["review_reason"].fillna("").str.startswith("rejected: ")]
    assert "rejected: duration is zero or negative" in set(bad["review_reason"])
    assert bad["claim_probability"].isna().all() and bad["needs_review"].all()
    fresh = rows[rows["video_id"] == 3_000_000_001].iloc[0]
    assert 0.0 <= fresh["claim_probability"] <= 1.0
    assert fresh["scoring_model"] == "at_upload_logreg"
    scored = rows[rows["claim_probability"].notna()]
    assert sorted(scored["review_priority"]) == list(range(1, len(scored) + 1))
    assert (rows["model_run_id"] == tiny_run.training.run_id).all()
