"""Deterministic synthetic stand-in for the TikTok reported-videos export.

The real export (19,382 rows) may not be redistributed, so the project's embedded seed
``seeds/tiktok_dataset.csv`` is produced by this module instead. Nothing here is copied from the
real rows: the constants here and the tables of ``tables.json`` beside this module are
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
without decimals and missing values as empty cells. Parquet carries explicit types; ``csv.gz`` is
the CSV gzipped (no name or time in its header, so the bytes are deterministic too).

**Daily exports** (``generate_days``, ``write_days``, ``--days``) stand in for moderation's file
a day, ``YYYY-MM-DD.csv``. Each day holds ``rows_per_day`` rows (default 2,000), no video twice,
and ``#`` from 1. A day's new videos are made as above (the same strata, ranges and transcripts,
with ids of their own). ``REVISIT_SHARE`` of them may come back within ``REVISIT_WINDOW_DAYS``
days; the rest are exported once. From the second day on, each day also exports earlier videos:

* re-reports (``REREPORT_RATE``, 10 % of a day's rows): counts grown to first counts x
  (1 + g x days since), floored, so no count decreases and likes <= views etc. still hold; g is
  ``GROWTH_PER_DAY``, or ``VIRAL_GROWTH_PER_DAY`` for the ``VIRAL_CLAIM_SHARE`` of claims that
  go viral. Transcript, duration and verified status never change;
* late labels (``LATE_LABEL_RATE``, 3 %): videos first exported with an empty claim_status (but
  a transcript and counts) now show the label their transcript's opening implies;
* bans (``BAN_RATE``, 1 %): the author_ban_status of a video first exported active or under
  review is now banned; authors of viral claims are the likeliest (``BAN_WEIGHTS``).

Labels and bans show from their day on in every later appearance. The window fills over the first
week, so those rates are reached from the eighth day (14 % earlier videos a day); unlabeled rows
without transcript or counts are new videos, as in the single file. A day's rows depend only on
(seed, rows_per_day, day index). Memory follows one day's rows plus the window's returning videos
(about 1.75 days' rows).

Usage::

    python -m synthetic --rows 19382 --seed 42 --format csv --out seeds/tiktok_dataset.csv
    python -m synthetic --days 7 --out exports/            # 7 x 2,000 rows from 2026-11-01
    python -m synthetic --days 10 --rows 100000 --format mixed --start-date 2026-11-01 --out DIR
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.project import COUNT_COLUMNS

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROWS = 19_382
DEFAULT_SEED = 42
CHUNK_ROWS = 1_000_000
DAY_CHUNK_ROWS = 200_000  # daily exports: smaller chunks, as a day also holds its window
CSV_SLICE_ROWS = 250_000
MAX_ROWS = 9_000_000_000  # one 10-digit video id per row
FORMATS = ("csv", "csv.gz", "parquet")  # also the order "mixed" daily exports cycle through

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
DATA_PATH = Path(__file__).with_name("tables.json")
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


def _feistel_keys(seed: int, *stream: int) -> np.ndarray:
    """Four round keys for ``_permute``, from the seed's ``stream`` (a SeedSequence spawn key)."""
    return np.random.SeedSequence(seed, spawn_key=stream).generate_state(4, dtype=np.uint64)


def _batch(
    rng: np.random.Generator, stratum: np.ndarray, video_id: np.ndarray, row_number: np.ndarray
) -> pa.RecordBatch:
    """Rows of the given strata and ids, every other value drawn from ``rng`` in a fixed order."""
    codes = _STRATUM_CODE[stratum]
    size = stratum.size
    views = rng.integers(VIEW_LOW[codes], VIEW_HIGH[codes])
    likes = np.rint(views * rng.uniform(0.0, LIKE_MAX[codes]))
    shares = np.rint(likes * rng.uniform(0.0, SHARE_MAX, size))
    downloads = np.rint(likes * rng.uniform(0.0, DOWNLOAD_MAX, size))
    comments = np.rint(downloads * rng.uniform(0.0, COMMENT_MAX[codes]))
    claim_status, verified_status, author_ban_status = (
        column.take(stratum) for column in _STRATUM_COLUMNS
    )
    columns = [
        pa.array(row_number.astype(np.int64)),
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


def _chunk(start: int, stop: int, rows: int, seed: int) -> pa.RecordBatch:
    """Rows ``[start, stop)`` of a ``rows``-row file; depends only on its arguments."""
    chunk_seed = np.random.SeedSequence(seed, spawn_key=(_CHUNK_STREAM, start // CHUNK_ROWS))
    index = np.arange(start, stop, dtype=np.uint64)
    rank = _permute(index, rows, _feistel_keys(seed, _RANK_STREAM))
    stratum = np.searchsorted(_stratum_bounds(rows), rank, side="right")
    video_id = _permute(index, MAX_ROWS, _feistel_keys(seed, _ID_STREAM)) + np.uint64(10**9)
    return _batch(np.random.default_rng(chunk_seed), stratum, video_id, index + np.uint64(1))


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


def _write_export(
    path: Path,
    batches: Iterable[pa.RecordBatch],
    fmt: str,
    report: Callable[[int], None] | None = None,
) -> None:
    """Write ``batches`` to ``path`` as ``fmt`` (csv, csv.gz or parquet), calling ``report`` with
    the rows written after each batch. The file is written beside and renamed into place, so it
    never appears half written."""
    writer = _write_parquet if fmt == "parquet" else _write_csv
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as raw:
            sink: BinaryIO = raw
            if fmt == "csv.gz":  # no name or time in the header: same rows, same bytes
                sink = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
            with sink:
                for written in writer(iter(batches), sink):
                    if report:
                        report(written)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


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

    _write_export(path, batches, fmt, report if progress else None)
    return path


# Daily exports: each day's file holds new videos and videos of the last REVISIT_WINDOW_DAYS
# days' files again. Sizes and rates are shares of a day's rows (``rows_per_day``).
DEFAULT_DAY_ROWS = 2_000
DEFAULT_START_DATE = date(2026, 11, 1)
REVISIT_WINDOW_DAYS = 7  # a video comes back at most this many days after its first export
REVISIT_SHARE = 0.25  # a day's new videos that may come back (the rest are exported once)
REREPORT_RATE = 0.10  # rows reported again, counts grown (from the second day on)
LATE_LABEL_RATE = 0.03  # new videos exported unlabelled (text, counts), labelled 1..7 days later
BAN_RATE = 0.01  # new videos whose author is banned 1..7 days later
VIRAL_CLAIM_SHARE = 0.2  # of the claims that may come back: their counts grow fast
# Counts on day t = first counts x (1 + g x days since the first export), floored; g ~ U(low, high).
GROWTH_PER_DAY = (0.0, 0.1)
VIRAL_GROWTH_PER_DAY = (0.5, 3.0)
# Relative chance of a ban for a viral claim, another claim, an opinion.
BAN_WEIGHTS = (20.0, 2.0, 1.0)
_NEVER = np.iinfo(np.int64).max
_EXPORT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\..*")

# SeedSequence spawn keys of the daily exports: (3, day, part, k) chunk k of a day's new videos
# (part 0 those that may come back, 1 the rest), (4, day, part) their row-rank permutation, (5,)
# the video ids, (6, day) the events of a day's returning videos, (7, day) the re-reports picked
# on a day, (8, day) the order of a day's rows.
_DAY_CHUNK_STREAM, _DAY_RANK_STREAM, _DAY_ID_STREAM = 3, 4, 5
_DAY_EVENT_STREAM, _DAY_PICK_STREAM, _DAY_ORDER_STREAM = 6, 7, 8


def _share(rate: float, rows: int) -> int:
    """``rate`` of ``rows``, rounded half up."""
    return int(rate * rows + 0.5)


@dataclass(frozen=True)
class _Returning:
    """Videos that may be exported again: their first rows and what happens to them later.

    ``rows`` holds each video as first generated (its true label, first counts and status);
    ``at(day)`` shows it as that day's export does.
    """

    rows: pa.Table
    first_day: np.ndarray  # day index of the first export
    label_day: np.ndarray  # first day its label shows (_NEVER: no label is withheld)
    ban_day: np.ndarray  # first day its author shows as banned (_NEVER: no ban)
    growth: np.ndarray  # growth of its counts per day, as a share of its first counts

    def take(self, index: np.ndarray) -> _Returning:
        return _Returning(
            self.rows.take(index),
            self.first_day[index],
            self.label_day[index],
            self.ban_day[index],
            self.growth[index],
        )

    def at(self, day: int) -> pa.Table:
        """The rows as exported on ``day``: label withheld until label_day, ban from ban_day on,
        counts grown (floored, so they never decrease and keep their order: likes <= views...)."""
        rows = self.rows
        hidden = pa.array((self.label_day != _NEVER) & (day < self.label_day))
        banned = pa.array(self.ban_day <= day)
        factor = pa.array(1.0 + self.growth * (day - self.first_day))
        changed = {
            "claim_status": pc.if_else(hidden, pa.scalar(None, pa.string()), rows["claim_status"]),
            "author_ban_status": pc.if_else(banned, "banned", rows["author_ban_status"]),
            **{
                name: pc.floor(pc.multiply(rows[name].cast(pa.float64()), factor)).cast(pa.int64())
                for name in COUNT_COLUMNS
            },
        }
        for name, column in changed.items():
            index = SCHEMA.get_field_index(name)
            rows = rows.set_column(index, SCHEMA.field(index), column)
        return rows


def _day_part(
    seed: int, day: int, part: int, size: int, first_video: int
) -> Iterator[pa.RecordBatch]:
    """``size`` new videos of a day, in chunks; video ``k`` gets the id of global video
    ``first_video + k``, so ids never repeat across days. Strata in the real proportions."""
    rank_keys = _feistel_keys(seed, _DAY_RANK_STREAM, day, part)
    id_keys = _feistel_keys(seed, _DAY_ID_STREAM)
    bounds = _stratum_bounds(size)
    for start in range(0, size, DAY_CHUNK_ROWS):
        stop = min(start + DAY_CHUNK_ROWS, size)
        chunk_key = (_DAY_CHUNK_STREAM, day, part, start // DAY_CHUNK_ROWS)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=chunk_key))
        index = np.arange(start, stop, dtype=np.uint64)
        stratum = np.searchsorted(bounds, _permute(index, size, rank_keys), side="right")
        video_id = _permute(index + np.uint64(first_video), MAX_ROWS, id_keys) + np.uint64(10**9)
        yield _batch(rng, stratum, video_id, index + np.uint64(1))


def _returning(seed: int, day: int, rows: pa.Table, rows_per_day: int) -> _Returning:
    """Decide what happens later to a day's new videos that may come back.

    The first ``LATE_LABEL_RATE`` x rows_per_day of them (if labelled) are exported without
    their label until 1..REVISIT_WINDOW_DAYS days later (spread evenly). ``BAN_RATE`` x
    rows_per_day authors not yet banned are banned 1..REVISIT_WINDOW_DAYS days later, drawn
    with BAN_WEIGHTS, so mostly authors of claims that went viral.
    """
    size = rows.num_rows
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_DAY_EVENT_STREAM, day)))
    labelled = pc.is_valid(rows["claim_status"]).to_numpy()
    is_claim = pc.fill_null(pc.equal(rows["claim_status"], "claim"), False).to_numpy()
    not_banned = pc.not_equal(rows["author_ban_status"], "banned").to_numpy()
    position = np.arange(size)
    pending = labelled & (position < _share(LATE_LABEL_RATE, rows_per_day))
    label_day = np.where(pending, day + 1 + position % REVISIT_WINDOW_DAYS, _NEVER)
    viral = is_claim & (rng.random(size) < VIRAL_CLAIM_SHARE)
    growth = np.where(
        viral, rng.uniform(*VIRAL_GROWTH_PER_DAY, size), rng.uniform(*GROWTH_PER_DAY, size)
    )
    weight = np.select([viral, is_claim], BAN_WEIGHTS[:2], default=BAN_WEIGHTS[2])
    bannable = labelled & not_banned
    # Weighted sampling without replacement: the smallest Exp(1) / weight keys.
    key = np.where(bannable, rng.exponential(size=size) / weight, np.inf)
    bans = min(_share(BAN_RATE, rows_per_day), int(bannable.sum()))
    ban_day = np.full(size, _NEVER)
    ban_day[np.argsort(key, kind="stable")[:bans]] = day + 1 + np.arange(bans) % REVISIT_WINDOW_DAYS
    return _Returning(rows, np.full(size, day), label_day, ban_day, growth)


def _exported_again(
    seed: int, day: int, window: Sequence[_Returning], rows_per_day: int
) -> pa.Table:
    """Earlier videos in ``day``'s export: every video whose label or ban comes that day, and
    ``REREPORT_RATE`` x rows_per_day others (labelled ones, picked at random), each once."""
    label_day, ban_day = (
        np.concatenate([getattr(part, name) for part in window])
        for name in ("label_day", "ban_day")
    )
    labelled = np.concatenate(
        [pc.is_valid(part.rows["claim_status"]).to_numpy() for part in window]
    )
    event = (label_day == day) | (ban_day == day)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_DAY_PICK_STREAM, day)))
    priority = rng.random(event.size)
    candidates = np.flatnonzero(labelled & ~event)
    picks = min(_share(REREPORT_RATE, rows_per_day), candidates.size)
    picked = candidates[np.argsort(priority[candidates], kind="stable")[:picks]]
    index = np.sort(np.concatenate([np.flatnonzero(event), picked]))[:rows_per_day]
    # Taken part by part: the window's rows are never copied into one table.
    bounds = np.cumsum([0, *(part.rows.num_rows for part in window)])
    split = np.searchsorted(index, bounds)
    return pa.concat_tables(
        part.take(index[split[k] : split[k + 1]] - bounds[k]).at(day)
        for k, part in enumerate(window)
    )


def _day(
    seed: int, day: int, rows_per_day: int, window: Sequence[_Returning], first_video: int
) -> tuple[pa.Table, _Returning, int]:
    """Day ``day``'s export (new videos numbered from ``first_video``, and earlier videos of
    ``window``), its new videos that may come back, and how many videos are new. Intermediate
    copies die on return."""
    again = _exported_again(seed, day, window, rows_per_day) if window else SCHEMA.empty_table()
    new = rows_per_day - again.num_rows
    may_return = min(new, _share(REVISIT_SHARE, rows_per_day))
    first_rows = _day_part(seed, day, 0, may_return, first_video)
    returning = _returning(
        seed, day, pa.Table.from_batches(list(first_rows), schema=SCHEMA), rows_per_day
    )
    batches = [
        *returning.at(day).to_batches(),
        *_day_part(seed, day, 1, new - may_return, first_video + may_return),
        *again.to_batches(),
    ]
    table = pa.Table.from_batches(batches, schema=SCHEMA)
    del batches, again
    # New and earlier videos mixed through the file; one column copied at a time.
    order = np.arange(rows_per_day, dtype=np.uint64)
    order = _permute(order, rows_per_day, _feistel_keys(seed, _DAY_ORDER_STREAM, day))
    columns = [pa.array(np.arange(1, rows_per_day + 1))]
    table = table.remove_column(0)
    while table.num_columns:
        columns.append(table.column(0).take(order))
        table = table.remove_column(0)
    return pa.Table.from_arrays(columns, schema=SCHEMA), returning, new


def _days(days: int, rows_per_day: int, seed: int, start: date) -> Iterator[tuple[date, pa.Table]]:
    """The daily exports in order; see ``generate_days``."""
    window: deque[_Returning] = deque(maxlen=REVISIT_WINDOW_DAYS)
    first_video = 0
    for day in range(days):
        table, returning, new = _day(seed, day, rows_per_day, window, first_video)
        first_video += new
        window.append(returning)
        yield start + timedelta(days=day), table


def _as_date(value: date | str) -> date:
    """A date, or an ISO ``YYYY-MM-DD`` string as one; ``ValueError`` otherwise."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"start_date must be a date as YYYY-MM-DD, got {value!r}") from None


def generate_days(
    days: int,
    rows_per_day: int = DEFAULT_DAY_ROWS,
    seed: int = DEFAULT_SEED,
    start_date: date | str = DEFAULT_START_DATE,
) -> Iterator[tuple[date, pa.Table]]:
    """``days`` daily exports as ``(export date, table)``, made lazily, one day at a time.

    Each table has ``rows_per_day`` rows in the export's schema (``#`` from 1) and no repeated
    video_id. From the second day on, about ``REREPORT_RATE`` of a day's rows are videos of the
    last ``REVISIT_WINDOW_DAYS`` days again with grown counts, about ``LATE_LABEL_RATE`` are
    videos first exported without a label that now show it, and about ``BAN_RATE`` are videos
    whose author is now banned; the rest are new videos, made as ``generate`` makes them. A day's
    content depends only on (seed, rows_per_day, its index), not on ``days`` or ``start_date``.
    Memory follows one day's rows plus the returning videos of the window (~1.75 days' rows).

    Raises ``ValueError`` at once for a negative count or seed, a bad date, or more videos than
    10-digit ids allow.
    """
    if days < 0 or rows_per_day < 0:
        raise ValueError(f"days and rows_per_day must be >= 0, got {days} and {rows_per_day}")
    if days * rows_per_day > MAX_ROWS:
        raise ValueError(f"days x rows_per_day must be at most {MAX_ROWS:,}")
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return _days(days, rows_per_day, seed, _as_date(start_date))


def _day_format(fmt: str, day: int) -> str:
    """The format of day ``day``'s file: ``fmt``, or for "mixed" csv, csv.gz, parquet in turn."""
    return FORMATS[day % len(FORMATS)] if fmt == "mixed" else fmt


def write_days(
    out_dir: Path | str,
    days: int,
    rows_per_day: int = DEFAULT_DAY_ROWS,
    seed: int = DEFAULT_SEED,
    start_date: date | str = DEFAULT_START_DATE,
    fmt: str = "csv",
    progress: bool = False,
) -> list[Path]:
    """Write ``generate_days`` as ``out_dir/YYYY-MM-DD.<csv|csv.gz|parquet>``; return the paths.

    ``fmt`` is one of FORMATS or "mixed". Nothing else is written into ``out_dir``. Each file
    appears complete (written beside, then renamed). ``ValueError`` if ``out_dir`` already holds
    other dated files (an export of another run would be loaded with these).
    """
    if fmt not in (*FORMATS, "mixed"):
        raise ValueError(f"fmt must be one of {[*FORMATS, 'mixed']}, got {fmt!r}")
    tables = generate_days(days, rows_per_day, seed, start_date)
    start = _as_date(start_date)
    out_dir = Path(out_dir)
    names = [
        f"{(start + timedelta(days=day)).isoformat()}.{_day_format(fmt, day)}"
        for day in range(days)
    ]
    others = sorted(
        path.name
        for path in (out_dir.iterdir() if out_dir.is_dir() else [])
        if _EXPORT_NAME.fullmatch(path.name) and path.name not in names
    )
    if others:
        raise ValueError(
            f"{out_dir} already holds {len(others)} other dated file(s) ({others[0]}, ...): "
            "write to an empty folder or remove them"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for day, ((_, table), name) in enumerate(zip(tables, names, strict=True)):
        path = out_dir / name
        _write_export(path, table.to_batches(max_chunksize=CHUNK_ROWS), _day_format(fmt, day))
        if progress:
            print(f"synthetic: wrote {path} ({table.num_rows:,} rows)", file=sys.stderr)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point: ``python -m synthetic``."""
    parser = argparse.ArgumentParser(
        prog="python -m synthetic",
        description=(
            "Write the deterministic synthetic TikTok export (one file), or with --days a folder "
            "of daily exports with re-reports, late labels and bans."
        ),
    )
    parser.add_argument(
        "--rows",
        type=int,
        help=f"rows to write (default {DEFAULT_ROWS:,}); with --days, rows per daily file "
        f"(default {DEFAULT_DAY_ROWS:,})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parser.add_argument(
        "--format",
        choices=(*FORMATS, "mixed"),
        default="csv",
        dest="fmt",
        help="file format (default csv); 'mixed' (with --days) cycles csv, csv.gz, parquet",
    )
    parser.add_argument(
        "--days",
        type=int,
        help="write this many daily exports, DIR/YYYY-MM-DD.<format>, into the --out folder",
    )
    parser.add_argument(
        "--start-date",
        type=_iso_date,
        default=DEFAULT_START_DATE,
        help="with --days, the first export's date (default %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="output file (default: seeds/tiktok_dataset.<format> under the repository root); "
        "with --days, the output folder (default: exports/ under the repository root)",
    )
    args = parser.parse_args(argv)
    if args.days is None:
        if args.fmt == "mixed":
            parser.error("--format mixed needs --days")
        rows = DEFAULT_ROWS if args.rows is None else args.rows
        out = args.out or REPO_ROOT / "seeds" / f"tiktok_dataset.{args.fmt}"
        try:
            write(out, rows, args.seed, args.fmt, progress=rows > CHUNK_ROWS)
        except ValueError as error:
            parser.error(str(error))
        print(f"synthetic: wrote {rows:,} rows (seed {args.seed}) to {out}", file=sys.stderr)
        return
    rows = DEFAULT_DAY_ROWS if args.rows is None else args.rows
    out = args.out or REPO_ROOT / "exports"
    try:
        paths = write_days(
            out, args.days, rows, args.seed, args.start_date, args.fmt, progress=rows > CHUNK_ROWS
        )
    except ValueError as error:
        parser.error(str(error))
    print(
        f"synthetic: wrote {len(paths)} daily exports of {rows:,} rows (seed {args.seed}) to {out}",
        file=sys.stderr,
    )


def _iso_date(text: str) -> date:
    """argparse type: a YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


if __name__ == "__main__":
    main()
