"""How unfamiliar a transcript's opening is: the abstention signal of the scorer.

The models learned the export's framings ("a friend read that ...", "my colleagues think
...") far more than the facts that follow them: every two-word opening belongs to one class.
Rewrite the framing and the model still answers, confidently and wrongly. So the scorer asks,
before trusting an answer, whether the opening is one it has seen.

Definition: the opening is the first `opening_tokens` tokens of the transcript (lower-cased; a
token is a run of letters, digits, underscores or apostrophes, one character is enough), preceded by
a start marker. Its n-grams are the unigrams and bigrams of that sequence, the start marker
included (so "ok a friend read" differs from "a friend read" although every word is known).
`fit` keeps the n-grams found in the openings of at least `min_df` training transcripts.
`novelty` is the share of a transcript's opening n-grams that are not kept: 0 for a familiar
framing, near 1 for a rewritten one. A transcript with no token is fully novel (1.0).

Everything is vectorised on Arrow kernels (lower-case, split, hash lookup), so it costs a few
hundred nanoseconds a video at scoring time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ml.text import as_string_array

START = "<s>"
SEPARATORS = r"[^\p{L}\p{N}_']+"


def opening_tokens(texts: pa.Array, tokens: int) -> pa.ListArray:
    """The first `tokens` tokens of each text, after a start marker (nulls give the marker only)."""
    lowered = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.utf8_lower(texts), SEPARATORS, " ")
    )
    marked = pc.binary_join_element_wise(pc.fill_null(lowered, ""), START, " ")
    split = pc.split_pattern(pc.utf8_trim_whitespace(marked), " ")
    return pc.list_slice(split, 0, tokens + 1)


def opening_ngrams(texts: Any, tokens: int) -> tuple[pa.Array, np.ndarray, int]:
    """Every unigram and bigram of each opening, the text each belongs to, and the text count."""
    lists = opening_tokens(as_string_array(texts).cast(pa.string()), tokens)
    flat = pc.list_flatten(lists)
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    docs = np.repeat(np.arange(len(lists)), lengths)
    real = pc.not_equal(flat, START).to_numpy(zero_copy_only=False)
    unigrams, unigram_docs = flat.filter(pa.array(real)), docs[real]
    if len(flat) > 1:
        same_doc = docs[1:] == docs[:-1]
        left = flat.slice(0, len(flat) - 1).filter(pa.array(same_doc))
        right = flat.slice(1).filter(pa.array(same_doc))
        bigrams = pc.binary_join_element_wise(left, right, " ")
        bigram_docs = docs[:-1][same_doc]
    else:
        bigrams, bigram_docs = pa.array([], pa.string()), np.array([], dtype=np.int64)
    grams = pa.concat_arrays([unigrams.cast(pa.string()), bigrams.cast(pa.string())])
    return grams, np.concatenate([unigram_docs, bigram_docs]), len(lists)


class OpeningNovelty:
    """The share of a transcript's opening n-grams never seen in training openings."""

    def __init__(self, opening_tokens: int = 6, min_df: int = 2) -> None:
        self.opening_tokens = opening_tokens
        self.min_df = min_df
        self.vocabulary_: list[str] = []

    def fit(self, texts: Any) -> OpeningNovelty:
        """Keep the opening n-grams of at least `min_df` training transcripts."""
        grams, docs, _ = opening_ngrams(texts, self.opening_tokens)
        table = pa.table({"gram": grams, "doc": docs}).group_by(["gram", "doc"]).aggregate([])
        counts = table.group_by("gram").aggregate([("doc", "count")])
        kept = counts.filter(pc.greater_equal(counts.column("doc_count"), self.min_df))
        self.vocabulary_ = sorted(kept.column("gram").to_pylist())
        return self

    def novelty(self, texts: Any) -> np.ndarray:
        """Per text, the share (0-1) of its opening n-grams outside the training vocabulary."""
        grams, docs, count = opening_ngrams(texts, self.opening_tokens)
        known = pc.is_in(grams, value_set=pa.array(self.vocabulary_, pa.string()))
        unseen = np.bincount(
            docs,
            weights=pc.invert(known).to_numpy(zero_copy_only=False).astype(float),
            minlength=count,
        )
        total = np.bincount(docs, minlength=count).astype(float)
        return np.divide(unseen, total, out=np.ones(count), where=total > 0)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the model file (no code is saved)."""
        return {
            "opening_tokens": self.opening_tokens,
            "min_df": self.min_df,
            "vocabulary": self.vocabulary_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OpeningNovelty:
        """Rebuild a fitted signal from `to_dict`'s output."""
        signal = cls(int(data["opening_tokens"]), int(data["min_df"]))
        signal.vocabulary_ = [str(gram) for gram in data["vocabulary"]]
        return signal
