"""`PhraseCounter` counts what scikit-learn's `CountVectorizer` counts, learning only from `fit`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from ml.text import PhraseCounter

# Letters, digits, separators and the non-ASCII characters the export holds (curly quotes
# U+2018 and U+2019, o-umlaut), plus a few more scripts; Python's `str.lower` and Arrow's
# `utf8_lower` agree on all of them.
ALPHABET = "abcxyz AB019_ ,.'\"!?-\t\n\u2019\u2018\u00f6\u00d6\u00e9\u00c9\u00df\u0436\u4e2d"
texts = st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=25)


def assert_same_counts(ours: PhraseCounter, theirs: CountVectorizer, documents: list[str]) -> None:
    """Same vocabulary and the same count matrix."""
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    difference = ours.transform(documents) - theirs.transform(documents)
    assert difference.nnz == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(train=texts, other=texts, low=st.integers(1, 2), extra=st.integers(0, 2))
def test_matches_count_vectorizer(train: list[str], other: list[str], low: int, extra: int) -> None:
    """Any text, any n-gram range: fit on one list, transform another, as CountVectorizer."""
    theirs = CountVectorizer(ngram_range=(low, low + extra))
    try:
        theirs.fit(train)
    except ValueError:  # no token at all: both refuse
        with pytest.raises(ValueError, match="no n-gram"):
            PhraseCounter(ngram_range=(low, low + extra)).fit(train)
        return
    ours = PhraseCounter(ngram_range=(low, low + extra)).fit(train)
    assert_same_counts(ours, theirs, other + train)


DOCUMENTS = [
    "a friend read that the moon is made of rock",
    "a friend read that the moon is far away",
    "i think that the moon is pretty, and the sun is too",
    "my family feels that the moon matters",
    "a colleague learned that rock is old; a friend read it too",
] * 3 + ["unique words appear once here"]
STOP_WORDS = tuple(sorted(ENGLISH_STOP_WORDS))


@pytest.mark.parametrize("options", [{"ngram_range": (1, 2), "min_df": 2}, {"min_df": 4}])
def test_stop_words_and_min_df_match(options: dict) -> None:
    """The TF-IDF models' `min_df`, with and without stop words."""
    for stop_words in (None, STOP_WORDS):
        ours = PhraseCounter(**options, stop_words=stop_words).fit(DOCUMENTS)
        theirs = CountVectorizer(
            **options, stop_words=list(stop_words) if stop_words else None
        ).fit(DOCUMENTS)
        assert_same_counts(ours, theirs, DOCUMENTS)


def test_max_features_keeps_the_most_frequent() -> None:
    """The baseline's top phrases: CountVectorizer's top counts (its order among ties is its
    sort's; ours is alphabetical)."""
    ours = PhraseCounter(ngram_range=(2, 3), max_features=5, stop_words=STOP_WORDS)
    everything = CountVectorizer(ngram_range=(2, 3), stop_words=list(STOP_WORDS))
    totals = np.asarray(everything.fit_transform(DOCUMENTS).sum(axis=0)).ravel()
    count_of = dict(zip(everything.get_feature_names_out(), totals, strict=True))
    kept = ours.fit(DOCUMENTS).get_feature_names_out()
    assert sorted((count_of[name] for name in kept), reverse=True) == sorted(totals)[::-1][:5]
    cut = min(count_of[name] for name in kept)
    tied = sorted(name for name, count in count_of.items() if count == cut)
    at_cut = [name for name in kept if count_of[name] == cut]
    assert at_cut == tied[: len(at_cut)]


def test_vocabulary_comes_from_fit_only() -> None:
    """A phrase met only in transform is never a column, however often it appears."""
    counter = PhraseCounter(ngram_range=(1, 2)).fit(["a friend read that", "i think that"])
    counts = counter.transform(["zebra crossing zebra crossing", "a friend read that"])
    assert "zebra crossing" not in counter.vocabulary_
    assert "zebra" not in counter.vocabulary_
    assert counts[0].nnz == 0
    assert counts.shape == (2, len(counter.vocabulary_))


def test_accepts_series_frames_and_missing_text() -> None:
    """A pandas Series (Arrow strings), a one-column frame, lists; a null text counts nothing."""
    counter = PhraseCounter().fit(pd.Series(["one two", "two three"], dtype="str"))
    series = pd.Series(["two two", None], dtype="str")
    from_series = counter.transform(series).toarray()
    from_frame = counter.transform(series.to_frame()).toarray()
    assert np.array_equal(from_series, from_frame)
    assert from_series[1].sum() == 0
    assert from_series[0, counter.vocabulary_["two"]] == 2
    with pytest.raises(ValueError, match="one text column"):
        counter.transform(pd.DataFrame({"a": ["x"], "b": ["y"]}))
