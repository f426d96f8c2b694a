"""Deterministic synthetic stand-in for the TikTok reported-videos export.

The real export (19,382 rows) may not be redistributed, so the project's embedded seed
``seeds/tiktok_dataset.csv`` is produced by this module instead. Nothing here is copied from the
real rows: the constants here and the tables of ``synthetic_data.json`` beside this module are
*derived* statistics (class counts, status mixes, ranges of the engagement ratios, the set of
transcript openings and how often each occurs), and the transcript bodies come from word lists
and templates written for this module (also in that file, loaded once on import).

What was derived from the real export and how it is reproduced:

* **Class and status.** The 18 joint (claim_status, verified_status, author_ban_status) counts,
  e.g. 9,608 claims of which 209 verified and 1,439 banned, 9,476 opinions (991 verified, 196
  banned) and 298 unlabeled rows (empty ``claim_status``, transcript and five counts). Each size
  gets them in the same proportions, cumulatively rounded: row ``i`` falls in the stratum of its
  rank under a keyed permutation of ``[0, rows)``, so strata are shuffled through the file yet
  counted exactly; the default 19,382 rows reproduce the real cross-tab cell for cell.
* **Duration.** Uniform integers 5..60 s for every class (the real quantiles are linear).
* **Views.** Uniform integers: claims in [1,000, 1,000,000), opinions in [20, 10,000). Medians
  come out near the real 501,555 and 4,953.
* **Engagement.** The real ratios are uniform and chained: likes = views x U(0, 2/3) for claims
  and U(0, 4/9) for opinions; shares = likes x U(0, 0.4); downloads = likes x U(0, 0.025);
  comments = downloads x U(0, 2/3) for claims and U(0, 0.4) for opinions, each rounded to the
  nearest integer (rounding, not flooring, reproduces the real share of zero downloads and
  comments). So likes <= views and shares, downloads <= likes and comments <= downloads.
* **Transcripts.** Lower-case; ``<opening> <fact>``. The 294 openings (196 only ever seen on
  claims, 98 only on opinions; kept verbatim, including the double spaces some carry) are drawn
  with their real per-class frequencies, so the opening alone tells the class, as in the export.
  The fact after it does not depend on the class. Facts come from templates over this module's
  own vocabulary (thousands of combinations); their weights mirror the export's ~8.5 % of texts
  with a comma, ~1.5 % with a double quote and ~8.5 % with a non-ASCII character.
* **Video ids.** ``1e9 + P(i)`` where ``P`` is a keyed permutation of ``[0, 9e9)``, so ids are
  10-digit, look random and are unique across the file for any size up to 9e9 rows.

Determinism: rows are made in chunks of ``CHUNK_ROWS``; chunk ``k`` draws from
``SeedSequence(seed, spawn_key=(0, k))`` and the two permutations are keyed from spawn keys
``(1,)`` and ``(2,)``, so one (rows, seed) pair always gives the same bytes, whatever else runs,
and memory stays bounded by one chunk. Ids spread over the whole 10-digit range, so a large file
shares some with the real export by chance; the committed seed is tested to share none.

The CSV is written as the export is: header row, minimal quoting, ``\\n`` line endings, integers
without decimals and missing values as empty cells. Parquet carries explicit types.

Usage::

    python -m ml.synthetic --rows 19382 --seed 42 --format csv --out seeds/tiktok_dataset.csv
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROWS = 19_382
DEFAULT_SEED = 42
CHUNK_ROWS = 1_000_000
CSV_SLICE_ROWS = 250_000
MAX_ROWS = 9_000_000_000  # one 10-digit video id per row

COUNT_COLUMNS = (
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)
SCHEMA = pa.schema(
    [
        pa.field("#", pa.int64(), nullable=False),
        pa.field("claim_status", pa.string()),
        pa.field("video_id", pa.int64(), nullable=False),
        pa.field("video_duration_sec", pa.int64(), nullable=False),
        pa.field("video_transcription_text", pa.string()),
        pa.field("verified_status", pa.string(), nullable=False),
        pa.field("author_ban_status", pa.string(), nullable=False),
        *(pa.field(name, pa.int64()) for name in COUNT_COLUMNS),
    ]
)

# Class codes: 0 claim, 1 opinion, 2 unlabeled.
LABELS: tuple[str | None, ...] = ("claim", "opinion", None)

# The data tables (derived statistics, the openings and the fact vocabulary), loaded once.
DATA_PATH = Path(__file__).with_name("synthetic_data.json")
_DATA = json.loads(DATA_PATH.read_text(encoding="utf-8"))

# Rows of the real export per (claim_status, verified_status, author_ban_status).
STRATA: tuple[tuple[str | None, str, str, int], ...] = tuple(
    (label, verified, ban, count) for label, verified, ban, count in _DATA["strata"]
)
_STRATUM_CODE = np.array([LABELS.index(stratum[0]) for stratum in STRATA])
_STRATUM_COLUMNS = [pa.array([stratum[i] for stratum in STRATA], pa.string()) for i in range(3)]

# SeedSequence spawn keys: (0, k) for chunk k, (1,) the video-id and (2,) the row-rank permutation.
_CHUNK_STREAM, _ID_STREAM, _RANK_STREAM = 0, 1, 2

DURATION_SEC = (5, 60)
# Per class code: views in [low, high), the top of the like/view and comment/download ratios
# (unlabeled rows get zeros, written as missing).
VIEW_LOW = np.array([1_000, 20, 0])
VIEW_HIGH = np.array([1_000_000, 10_000, 1])
LIKE_MAX = np.array([2 / 3, 4 / 9, 0.0])
COMMENT_MAX = np.array([2 / 3, 0.4, 0.0])
SHARE_MAX = 0.4  # of likes, both classes
DOWNLOAD_MAX = 0.025  # of likes, both classes

# Transcript openings with their row counts in the real export, per class, in table order.
OPENING_COUNTS: dict[str, dict[str, int]] = {
    label: dict(counts) for label, counts in _DATA["openings"].items()
}

# Fact templates over the module's own vocabulary (unrelated to the export's sentences).
_Part = str | range | tuple[str, ...]


def _template_part(part: str | dict[str, object]) -> _Part:
    """One part of a data-file template: text, ``{"words": list}`` or ``{"integers": [lo, hi]}``."""
    if isinstance(part, str):
        return part
    if "words" in part:
        return tuple(_DATA["vocabulary"][part["words"]])
    low, high = part["integers"]
    return range(low, high)


# (weight, parts): a str is literal text, a range an integer drawn from it (10,000 and over get
# thousands separators), a tuple a word drawn from it. Weights set the comma, quote and
# non-ASCII shares described in the module docstring.
FACT_TEMPLATES: tuple[tuple[int, tuple[_Part, ...]], ...] = tuple(
    (weight, tuple(_template_part(part) for part in parts))
    for weight, parts in _DATA["fact_templates"]
)

_OPENINGS = pa.array([*OPENING_COUNTS["claim"], *OPENING_COUNTS["opinion"]], pa.string())


def _mix(values: np.ndarray, key: np.uint64) -> np.ndarray:
    """Hash uint64 values with ``key`` (splitmix64 finaliser; uint64 arithmetic wraps)."""
    z = values ^ key
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _permute(values: np.ndarray, domain: int, keys: np.ndarray) -> np.ndarray:
    """Map uint64 ``values`` in ``[0, domain)`` through a keyed bijection of that range.

    A balanced Feistel network (one round per key) permutes the smallest even-bit range that
    holds ``domain``; results falling outside are fed through again ("cycle walking"), which
    keeps the map a bijection of ``[0, domain)``.
    """
    half = max(1, ((domain - 1).bit_length() + 1) // 2)
    shift, mask = np.uint64(half), np.uint64((1 << half) - 1)

    def encrypt(block: np.ndarray) -> np.ndarray:
        left, right = block >> shift, block & mask
        for key in keys:
            left, right = right, left ^ (_mix(right, key) & mask)
        return (left << shift) | right

    out = encrypt(values)
    outside = np.flatnonzero(out >= domain)
    while outside.size:
        out[outside] = encrypt(out[outside])
        outside = outside[out[outside] >= domain]
    return out


def _stratum_bounds(rows: int) -> np.ndarray:
    """Exclusive upper rank of each stratum: the real proportions, cumulatively rounded."""
    counts = np.array([stratum[3] for stratum in STRATA], dtype=np.int64)
    total = int(counts.sum())
    return ((np.cumsum(counts) * rows + total // 2) // total).astype(np.uint64)


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


def _render(rng: np.random.Generator, parts: tuple[_Part, ...], size: int) -> pa.Array:
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


def _transcripts(rng: np.random.Generator, codes: np.ndarray) -> pa.Array:
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


def _feistel_keys(seed: int, stream: int) -> np.ndarray:
    """Four round keys for ``_permute``, from the seed's ``stream``."""
    return np.random.SeedSequence(seed, spawn_key=(stream,)).generate_state(4, dtype=np.uint64)


def _chunk(start: int, stop: int, rows: int, seed: int) -> pa.RecordBatch:
    """Rows ``[start, stop)`` of a ``rows``-row file; depends only on its arguments."""
    chunk_seed = np.random.SeedSequence(seed, spawn_key=(_CHUNK_STREAM, start // CHUNK_ROWS))
    rng = np.random.default_rng(chunk_seed)
    index = np.arange(start, stop, dtype=np.uint64)
    rank = _permute(index, rows, _feistel_keys(seed, _RANK_STREAM))
    stratum = np.searchsorted(_stratum_bounds(rows), rank, side="right")
    codes = _STRATUM_CODE[stratum]
    video_id = _permute(index, MAX_ROWS, _feistel_keys(seed, _ID_STREAM)) + np.uint64(10**9)
    size = stop - start
    views = rng.integers(VIEW_LOW[codes], VIEW_HIGH[codes])
    likes = np.rint(views * rng.uniform(0.0, LIKE_MAX[codes]))
    shares = np.rint(likes * rng.uniform(0.0, SHARE_MAX, size))
    downloads = np.rint(likes * rng.uniform(0.0, DOWNLOAD_MAX, size))
    comments = np.rint(downloads * rng.uniform(0.0, COMMENT_MAX[codes]))
    claim_status, verified_status, author_ban_status = (
        column.take(stratum) for column in _STRATUM_COLUMNS
    )
    columns = [
        pa.array(index.astype(np.int64) + 1),
        claim_status,
        pa.array(video_id.astype(np.int64)),
        pa.array(rng.integers(DURATION_SEC[0], DURATION_SEC[1] + 1, size)),
        _transcripts(rng, codes),
        verified_status,
        author_ban_status,
        *(
            pa.array(values.astype(np.int64), mask=codes == 2)
            for values in (views, likes, shares, downloads, comments)
        ),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)


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


def _csv_field(text: pa.Array) -> pa.Array:
    """Quote a string column the way Python's ``csv.QUOTE_MINIMAL`` does."""
    needs_quotes = pc.match_substring_regex(text, '[",\r\n]')
    if not pc.any(needs_quotes).as_py():
        return text
    quoted = pc.binary_join_element_wise(
        '"', pc.replace_substring(text.filter(needs_quotes), '"', '""'), '"', ""
    )
    return pc.replace_with_mask(text, needs_quotes, quoted)


def _csv_lines(batch: pa.RecordBatch) -> pa.Buffer:
    """Render a batch as CSV rows (no header), each ending in ``\\n``, in one buffer."""
    cells = []
    for column in batch.columns:
        text = _csv_field(column) if column.type == pa.string() else column.cast(pa.string())
        cells.append(pc.fill_null(text, ""))
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "", "\n")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    first, last = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return lines.buffers()[2][first:last]


def _write_csv(batches: Iterator[pa.RecordBatch], sink: BinaryIO) -> Iterator[int]:
    """Write the header and then each batch to ``sink``; yield rows written after each batch.

    Batches are rendered ``CSV_SLICE_ROWS`` rows at a time to bound the text held in memory.
    """
    sink.write((",".join(SCHEMA.names) + "\n").encode())
    written = 0
    for batch in batches:
        for offset in range(0, batch.num_rows, CSV_SLICE_ROWS):
            sink.write(_csv_lines(batch.slice(offset, CSV_SLICE_ROWS)))
        written += batch.num_rows
        yield written


def _write_parquet(batches: Iterator[pa.RecordBatch], sink: BinaryIO) -> Iterator[int]:
    """Write each batch as a row group to ``sink``; yield rows written after each batch."""
    written = 0
    with pq.ParquetWriter(sink, SCHEMA) as writer:
        for batch in batches:
            writer.write_batch(batch)
            written += batch.num_rows
            yield written


def write(
    path: Path | str,
    rows: int = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    fmt: str = "csv",
    progress: bool = False,
) -> Path:
    """Write ``rows`` synthetic rows for ``seed`` to ``path`` as ``fmt`` ("csv" or "parquet").

    With ``progress`` the running row count goes to stderr after each chunk.
    """
    writers = {"csv": _write_csv, "parquet": _write_parquet}
    if fmt not in writers:
        raise ValueError(f"fmt must be one of {sorted(writers)}, got {fmt!r}")
    batches = generate(rows, seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as sink:
        for written in writers[fmt](batches, sink):
            if progress:
                print(f"synthetic: {written:,} / {rows:,} rows", file=sys.stderr, flush=True)
    return path


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point: ``python -m ml.synthetic``."""
    parser = argparse.ArgumentParser(
        prog="python -m ml.synthetic",
        description="Write the deterministic synthetic TikTok export (CSV or Parquet).",
    )
    parser.add_argument(
        "--rows", type=int, default=DEFAULT_ROWS, help="rows to write (default %(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="fmt")
    parser.add_argument(
        "--out",
        type=Path,
        help="output file (default: seeds/tiktok_dataset.<format> under the repository root)",
    )
    args = parser.parse_args(argv)
    out = args.out or REPO_ROOT / "seeds" / f"tiktok_dataset.{args.fmt}"
    try:
        write(out, args.rows, args.seed, args.fmt, progress=args.rows > CHUNK_ROWS)
    except ValueError as error:
        parser.error(str(error))
    print(f"synthetic: wrote {args.rows:,} rows (seed {args.seed}) to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
