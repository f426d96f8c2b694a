"""The split is stable and stratified, and nothing of validation or test reaches a fitted model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import phrase_counters
from threadpoolctl import threadpool_limits

from ml import config
from ml.models import build_candidates
from ml.text import PhraseCounter
from ml.train_data import TrainingData, assign_splits, stratified_sample
from ml.train_fit import fit_candidate
from warehouse.project import COUNT_COLUMNS

LABELS = np.array([True] * 530 + [False] * 470)


def test_same_seed_same_split() -> None:
    """The split depends only on the seed and the row order."""
    assert np.array_equal(assign_splits(LABELS, 42), assign_splits(LABELS, 42))
    assert not np.array_equal(assign_splits(LABELS, 42), assign_splits(LABELS, 43))


@pytest.mark.parametrize("seed", [0, 42, 2024])
def test_split_is_stratified_60_20_20(seed: int) -> None:
    """Each split holds its share of rows and each class's share, to within one row."""
    splits = assign_splits(LABELS, seed)
    for name, fraction in config.SPLIT_FRACTIONS.items():
        rows = splits == name
        assert abs(rows.sum() - fraction * len(LABELS)) <= 1
        for label in (True, False):
            expected = fraction * (label == LABELS).sum()
            assert abs((rows & (label == LABELS)).sum() - expected) <= 1


def test_sample_is_stratified_sorted_and_fixed_by_the_seed() -> None:
    """A large mart's training sample: each class in its share, the same ids for the same seed."""
    video_ids = np.arange(len(LABELS)) * 7 + 1_000
    sample = stratified_sample(video_ids, LABELS, 200, seed=42)
    assert len(sample) == 200 == len(set(sample))
    assert np.all(np.diff(sample) > 0), "sorted, as the mart is read"
    assert set(sample) <= set(video_ids)
    claims = LABELS[np.searchsorted(video_ids, sample)].sum()
    assert abs(claims - 200 * LABELS.mean()) <= 1
    assert np.array_equal(sample, stratified_sample(video_ids, LABELS, 200, seed=42))
    assert not np.array_equal(sample, stratified_sample(video_ids, LABELS, 200, seed=43))


def test_no_candidate_learns_a_phrase_seen_only_outside_training() -> None:
    """A phrase written into every validation and test transcript, and no training one, is in
    no vectorizer of any candidate (each is fitted on the training rows only)."""
    rng = np.random.default_rng(0)
    rows = 300
    labels = np.arange(rows) % 2 == 0
    splits = assign_splits(labels, 42)
    words = np.array(["moon", "river", "forest", "city", "bridge", "ocean", "desert", "lake"])
    text = [
        ("someone read that " if claim else "i think that ") + " ".join(rng.choice(words, 5))
        for claim in labels
    ]
    held_out = splits != "train"
    text = [t + " zebra crossing" if out else t for t, out in zip(text, held_out, strict=True)]
    frame = pd.DataFrame(
        {
            "video_id": np.arange(rows),
            "video_transcription_text": pd.Series(text, dtype="str"),
            "verified_status": rng.choice(["verified", "not verified"], rows),
            "author_ban_status": rng.choice(["active", "banned"], rows),
            "video_duration_sec": rng.integers(5, 60, rows),
            "transcription_length": [len(t) for t in text],
            **{column: rng.integers(0, 1000, rows) for column in COUNT_COLUMNS},
        }
    )
    data = TrainingData("test.frame", frame, labels, {}, "none", {}, len(labels), None)
    for candidate in build_candidates(42):
        with threadpool_limits(limits=1):  # as `train` does
            model = fit_candidate(candidate, data, splits, 42, fast=True, budget_seconds=60)
        counters = phrase_counters(model.pipeline)
        assert counters, candidate.name
        for counter in counters:
            for phrase in counter.vocabulary_:
                assert "zebra" not in phrase and "crossing" not in phrase, candidate.name
    # The check has teeth: fitted on every row, the same vectorizer does learn the phrase.
    assert "zebra crossing" in PhraseCounter(ngram_range=(1, 2), min_df=2).fit(text).vocabulary_
