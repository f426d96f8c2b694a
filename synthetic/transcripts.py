"""Transcripts: ``<opening> <fact>``, the opening drawn with its real per-class frequency (so it
alone tells the class) and the fact filled from a template over the generator's own vocabulary."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from synthetic.tables import FACT_TEMPLATES, OPENING_COUNTS, Part

_OPENINGS = pa.array([*OPENING_COUNTS["claim"], *OPENING_COUNTS["opinion"]], pa.string())


def _draw_weighted(
    rng: np.random.Generator, codes: np.ndarray, weights: Sequence[Sequence[int]]
) -> np.ndarray:
    """Draw, for every row, an index into ``weights[code]`` with those relative weights."""
    picked = np.zeros(codes.size, dtype=np.intp)
    uniform = rng.random(codes.size)
    for code, class_weights in enumerate(weights):
        rows = codes == code
        cumulative = np.cumsum(class_weights) / np.sum(class_weights)
        picked[rows] = np.searchsorted(cumulative, uniform[rows], side="right")
    return picked


def _numbers_as_text(values: np.ndarray) -> pa.Array:
    """Integers as text, 10,000 and above with thousands separators."""
    if values.size and values.max() >= 10_000:
        return pa.array([f"{v:,}" if v >= 10_000 else str(v) for v in values.tolist()])
    return pc.cast(pa.array(values), pa.string())


def _render(rng: np.random.Generator, parts: tuple[Part, ...], size: int) -> pa.Array:
    """Fill one fact template ``size`` times."""
    pieces: list[pa.Array | pa.Scalar] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(pa.scalar(part))
        elif isinstance(part, range):
            pieces.append(_numbers_as_text(rng.integers(part.start, part.stop, size)))
        else:
            pieces.append(pa.array(part).take(rng.integers(0, len(part), size)))
    return pc.binary_join_element_wise(*pieces, "")


def _facts(rng: np.random.Generator, size: int) -> pa.Array:
    """Draw a template per row, fill each template for its rows and restore row order."""
    weights = [weight for weight, _ in FACT_TEMPLATES]
    template = _draw_weighted(rng, np.zeros(size, dtype=np.intp), [weights])
    rows_by_template = [np.flatnonzero(template == t) for t in range(len(FACT_TEMPLATES))]
    rendered = [
        _render(rng, parts, rows.size)
        for (_, parts), rows in zip(FACT_TEMPLATES, rows_by_template, strict=True)
    ]
    position = np.empty(size, dtype=np.intp)
    position[np.concatenate(rows_by_template)] = np.arange(size)
    return pa.concat_arrays(rendered).take(position)


def transcripts(rng: np.random.Generator, codes: np.ndarray) -> pa.Array:
    """``<opening> <fact>`` with the opening drawn by class; null for unlabeled rows."""
    claim_openings = len(OPENING_COUNTS["claim"])
    opening = _draw_weighted(
        rng,
        codes,
        [list(OPENING_COUNTS["claim"].values()), list(OPENING_COUNTS["opinion"].values()), [1]],
    )
    opening[codes == 1] += claim_openings
    text = pc.binary_join_element_wise(_OPENINGS.take(opening), _facts(rng, codes.size), " ")
    return pc.if_else(pa.array(codes == 2), pa.scalar(None, pa.string()), text)
