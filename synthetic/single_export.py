"""The single synthetic export (the embedded seed, or a large benchmark input): ``generate``
makes it in chunks of ``CHUNK_ROWS`` rows with bounded memory, ``write`` writes it to one file;
one (rows, seed) pair always gives the same bytes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from synthetic.distributions import stratum_bounds, video_batch
from synthetic.randomness import CHUNK_STREAM, ID_STREAM, RANK_STREAM, feistel_keys, permute
from synthetic.schema import CHUNK_ROWS, DEFAULT_ROWS, DEFAULT_SEED, FORMATS, MAX_ROWS
from synthetic.writers import write_export


def _chunk(start: int, stop: int, rows: int, seed: int) -> pa.RecordBatch:
    """Rows ``[start, stop)`` of a ``rows``-row file; depends only on its arguments."""
    chunk_seed = np.random.SeedSequence(seed, spawn_key=(CHUNK_STREAM, start // CHUNK_ROWS))
    index = np.arange(start, stop, dtype=np.uint64)
    rank = permute(index, rows, feistel_keys(seed, RANK_STREAM))
    stratum = np.searchsorted(stratum_bounds(rows), rank, side="right")
    video_id = permute(index, MAX_ROWS, feistel_keys(seed, ID_STREAM)) + np.uint64(10**9)
    return video_batch(np.random.default_rng(chunk_seed), stratum, video_id, index + np.uint64(1))


def generate(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> Iterator[pa.RecordBatch]:
    """The synthetic export as record batches of up to ``CHUNK_ROWS`` rows, made lazily in order.

    Raises ``ValueError`` at once for a row count outside ``[0, MAX_ROWS]`` or a negative seed.
    """
    if not 0 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be in [0, {MAX_ROWS:,}], got {rows:,}")
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return (
        _chunk(start, min(start + CHUNK_ROWS, rows), rows, seed)
        for start in range(0, rows, CHUNK_ROWS)
    )


def write(
    path: Path | str,
    rows: int = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    fmt: str = "csv",
    progress: bool = False,
) -> Path:
    """Write ``rows`` synthetic rows for ``seed`` to ``path`` as ``fmt`` (one of FORMATS).

    With ``progress`` the running row count goes to stderr after each chunk.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {list(FORMATS)}, got {fmt!r}")
    batches = generate(rows, seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def report(written: int) -> None:
        print(f"synthetic: {written:,} / {rows:,} rows", file=sys.stderr, flush=True)

    write_export(path, batches, fmt, report if progress else None)
    return path
