"""Word n-gram counts computed with Arrow string kernels: the transcript features of the models.

scikit-learn's `CountVectorizer` tokenizes one document at a time in Python (about 50,000
transcripts/s here for words and word pairs), which alone would keep scoring under its
200,000 videos/s target. `PhraseCounter` follows the same definition with vectorised kernels:
Arrow lower-cases and splits the whole column at once, each token becomes an integer id, an
n-gram becomes one int64 key (its token ids as digits in base `len(tokens) + 1`), Arrow's hash
lookup finds the keys in the fitted vocabulary and NumPy places the counts in a CSR matrix.
The tests check it against CountVectorizer on random Unicode text.

Definition (CountVectorizer's defaults): a token is a maximal run of Unicode letters, digits and
underscores, lower-cased and at least two characters long (`(?u)\\b\\w\\w+\\b`); stop words are
removed before n-grams are formed; an n-gram is `n` consecutive tokens joined by one space. The
vocabulary comes from `fit` only, so a phrase that appears only in rows it never saw is never a
feature (no leakage from validation or test rows).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

SEPARATOR_RUNS = r"[^\p{L}\p{N}_ ]+"
MIN_TOKEN_CHARS = 2
MAX_KEY = np.iinfo(np.int64).max


def as_string_array(texts: Any) -> pa.Array:
    """One Arrow string array from a Series, a one-column DataFrame, an array or a list."""
    if isinstance(texts, pd.DataFrame):
        if texts.shape[1] != 1:
            raise ValueError(f"PhraseCounter reads one text column, got {texts.shape[1]}")
        texts = texts.iloc[:, 0]
    array = pa.array(texts, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        if len(array) and not pa.types.is_null(array.type):
            raise TypeError(f"PhraseCounter needs text, got Arrow type {array.type}")
        array = array.cast(pa.string())
    return array


def tokenize(texts: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Every token of `texts` in order (nulls have none) and the index of its document.

    Separators become spaces with one regex replacement and the text is then split on the
    literal space: the same tokens as one regex split, three times faster (separators are few,
    tokens many). Empty strings between adjacent separators fall to the length filter.
    """
    spaced = pc.replace_substring_regex(pc.utf8_lower(texts), SEPARATOR_RUNS, " ")
    lists = pc.split_pattern(spaced, " ")
    lengths = np.diff(lists.offsets.to_numpy())
    return pc.list_flatten(lists), np.repeat(np.arange(len(lists)), lengths)


class PhraseCounter(TransformerMixin, BaseEstimator):
    """Count the word n-grams of one text column (a CountVectorizer on Arrow kernels).

    Parameters
    ----------
    ngram_range:
        Smallest and largest n-gram length, as in CountVectorizer.
    min_df:
        Keep n-grams found in at least this many training documents (a count, not a share).
    max_features:
        Keep only the most frequent n-grams (corpus term frequency; ties alphabetical).
    stop_words:
        Tokens dropped before n-grams are formed, or None.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 1),
        min_df: int = 1,
        max_features: int | None = None,
        stop_words: Sequence[str] | None = None,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.stop_words = stop_words

    def fit(self, X: Any, y: Any = None) -> PhraseCounter:  # noqa: N803 (scikit-learn's name)
        """Learn the vocabulary from the training documents only."""
        texts = as_string_array(X)
        tokens, docs = tokenize(texts)
        keep = self._keep_mask(tokens)
        encoded = pc.dictionary_encode(tokens.filter(pa.array(keep)))
        ids = encoded.indices.to_numpy().astype(np.int64) + 1
        seen_tokens = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
        keys, key_docs = self._all_ngram_keys(ids, docs[keep], len(seen_tokens) + 1)

        unique_keys, term_counts = np.unique(keys, return_counts=True)
        order = np.lexsort((key_docs, keys))
        sorted_keys, sorted_docs = keys[order], key_docs[order]
        first_in_doc = np.ones(len(sorted_keys), dtype=bool)
        first_in_doc[1:] = (sorted_keys[1:] != sorted_keys[:-1]) | (
            sorted_docs[1:] != sorted_docs[:-1]
        )
        doc_counts = np.unique(sorted_keys[first_in_doc], return_counts=True)[1]

        frequent = doc_counts >= self.min_df
        names = [
            " ".join(seen_tokens[digit - 1] for digit in _digits(int(key), len(seen_tokens) + 1))
            for key in unique_keys[frequent]
        ]
        ranked = sorted(zip(names, term_counts[frequent].tolist(), strict=True), key=_by_count)
        chosen = sorted(name for name, _ in ranked[: self.max_features])
        if not chosen:
            raise ValueError("PhraseCounter found no n-gram: the training texts have no tokens")

        self.tokens_ = np.array(sorted({token for name in chosen for token in name.split(" ")}))
        token_ids = {token: position + 1 for position, token in enumerate(self.tokens_)}
        base = len(self.tokens_) + 1
        self.ngram_keys_ = np.array(
            [_key([token_ids[token] for token in name.split(" ")], base) for name in chosen],
            dtype=np.int64,
        )
        self.feature_names_ = np.array(chosen)
        return self

    def transform(self, X: Any) -> sp.csr_matrix:  # noqa: N803 (scikit-learn's name)
        """Count the vocabulary's n-grams in each document: a sparse (documents x n-grams)."""
        check_is_fitted(self, "ngram_keys_")
        texts = as_string_array(X)
        tokens, docs = tokenize(texts)
        keep = self._keep_mask(tokens)
        vocabulary_tokens = pa.array(self.tokens_, type=tokens.type)
        known = pc.index_in(tokens, value_set=vocabulary_tokens).fill_null(-1)
        ids = known.to_numpy().astype(np.int64)[keep] + 1
        vocabulary = pa.array(self.ngram_keys_)
        rows, columns = [], []
        for keys, key_docs in self._ngram_keys(ids, docs[keep], len(self.tokens_) + 1):
            found = pc.index_in(pa.array(keys), value_set=vocabulary).fill_null(-1).to_numpy()
            hits = found >= 0
            rows.append(key_docs[hits])
            columns.append(found[hits])
        return count_matrix(rows, columns, (len(texts), len(self.feature_names_)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The n-grams, in column order (alphabetical)."""
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    @property
    def vocabulary_(self) -> dict[str, int]:
        """n-gram -> column, as CountVectorizer exposes it."""
        return {name: column for column, name in enumerate(self.get_feature_names_out())}

    def __sklearn_tags__(self) -> Any:
        """Declare a one-dimensional text input, as scikit-learn's text vectorizers do."""
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def _keep_mask(self, tokens: pa.Array) -> np.ndarray:
        """Tokens long enough and not stop words (dropped ones do not join n-grams)."""
        keep = pc.greater_equal(pc.utf8_length(tokens), MIN_TOKEN_CHARS)
        if self.stop_words:
            stop = pa.array(sorted(self.stop_words), type=tokens.type)
            keep = pc.and_(keep, pc.invert(pc.is_in(tokens, value_set=stop)))
        return keep.to_numpy(zero_copy_only=False)

    def _ngram_keys(
        self, ids: np.ndarray, docs: np.ndarray, base: int
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """For each n: the keys of the n-grams inside one document, and that document.

        An id of 0 marks a token outside the vocabulary; n-grams containing it are skipped.
        """
        low, high = self.ngram_range
        if base**high - 1 > MAX_KEY:
            raise ValueError(f"{base - 1} distinct tokens are too many for {high}-gram int64 keys")
        for n in range(low, high + 1):
            count = max(len(ids) - n + 1, 0)
            keys = ids[:count].copy()
            valid = (docs[:count] == docs[n - 1 :]) & (keys > 0)
            for offset in range(1, n):
                part = ids[offset : offset + count]
                keys *= base
                keys += part
                valid &= part > 0
            yield keys[valid], docs[:count][valid]

    def _all_ngram_keys(
        self, ids: np.ndarray, docs: np.ndarray, base: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every n-gram key of the documents and its document, all lengths together."""
        pairs = list(self._ngram_keys(ids, docs, base))
        return np.concatenate([k for k, _ in pairs]), np.concatenate([d for _, d in pairs])


def count_matrix(
    rows: list[np.ndarray], columns: list[np.ndarray], shape: tuple[int, int]
) -> sp.csr_matrix:
    """A CSR count matrix from runs of (row, column) entries, each run sorted by row.

    Entries go straight to their place, row by row, with no global sort: within a row, a run's
    entries follow those of the runs before it. Repeated (row, column) pairs are then summed.
    """
    n_rows = shape[0]
    per_run = [np.bincount(run, minlength=n_rows) for run in rows]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(functools.reduce(operator.add, per_run), out=indptr[1:])
    indices = np.empty(indptr[-1], dtype=np.int32)
    next_free = indptr[:-1].copy()
    for run, run_columns, counts in zip(rows, columns, per_run, strict=True):
        run_start = np.cumsum(counts) - counts
        rank_in_row = np.arange(len(run)) - run_start[run]
        indices[next_free[run] + rank_in_row] = run_columns
        next_free += counts
    matrix = sp.csr_matrix((np.ones(len(indices), dtype=np.int64), indices, indptr), shape=shape)
    matrix.sum_duplicates()
    return matrix


def _digits(key: int, base: int) -> list[int]:
    """The token ids (1-based) encoded in an n-gram key, first token first."""
    digits = []
    while key:
        key, digit = divmod(key, base)
        digits.append(digit)
    return digits[::-1]


def _key(token_ids: list[int], base: int) -> int:
    """The int64 key of an n-gram from its token ids (1-based)."""
    key = 0
    for token_id in token_ids:
        key = key * base + token_id
    return key


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    """Sort key: most frequent n-gram first, then alphabetical."""
    name, count = item
    return -count, name
