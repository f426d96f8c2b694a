"""The daily exports, moderation's file a day: ``generate_days`` makes each day's new videos and
earlier videos exported again, lazily one day at a time; ``write_days`` writes them as
``YYYY-MM-DD.<format>`` files into a folder."""

from __future__ import annotations

import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from synthetic.daily_returns import (
    REVISIT_SHARE,
    REVISIT_WINDOW_DAYS,
    Returning,
    exported_again,
    plan_returns,
    share,
)
from synthetic.distributions import stratum_bounds, video_batch
from synthetic.randomness import (
    DAY_CHUNK_STREAM,
    DAY_ID_STREAM,
    DAY_ORDER_STREAM,
    DAY_RANK_STREAM,
    feistel_keys,
    permute,
)
from synthetic.schema import CHUNK_ROWS, DEFAULT_SEED, FORMATS, MAX_ROWS, SCHEMA
from synthetic.writers import write_export

DEFAULT_DAY_ROWS = 2_000
DEFAULT_START_DATE = date(2026, 11, 1)
DAY_CHUNK_ROWS = 200_000  # daily exports: smaller chunks, as a day also holds its window
_EXPORT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\..*")


def _day_part(
    seed: int, day: int, part: int, size: int, first_video: int
) -> Iterator[pa.RecordBatch]:
    """``size`` new videos of a day, in chunks; video ``k`` gets the id of global video
    ``first_video + k``, so ids never repeat across days. Strata in the real proportions."""
    rank_keys = feistel_keys(seed, DAY_RANK_STREAM, day, part)
    id_keys = feistel_keys(seed, DAY_ID_STREAM)
    bounds = stratum_bounds(size)
    for start in range(0, size, DAY_CHUNK_ROWS):
        stop = min(start + DAY_CHUNK_ROWS, size)
        chunk_key = (DAY_CHUNK_STREAM, day, part, start // DAY_CHUNK_ROWS)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=chunk_key))
        index = np.arange(start, stop, dtype=np.uint64)
        stratum = np.searchsorted(bounds, permute(index, size, rank_keys), side="right")
        video_id = permute(index + np.uint64(first_video), MAX_ROWS, id_keys) + np.uint64(10**9)
        yield video_batch(rng, stratum, video_id, index + np.uint64(1))


def _day(
    seed: int, day: int, rows_per_day: int, window: Sequence[Returning], first_video: int
) -> tuple[pa.Table, Returning, int]:
    """Day ``day``'s export (new videos numbered from ``first_video``, and earlier videos of
    ``window``), its new videos that may come back, and how many videos are new. Intermediate
    copies die on return."""
    again = exported_again(seed, day, window, rows_per_day) if window else SCHEMA.empty_table()
    new = rows_per_day - again.num_rows
    may_return = min(new, share(REVISIT_SHARE, rows_per_day))
    first_rows = _day_part(seed, day, 0, may_return, first_video)
    returning = plan_returns(
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
    order = permute(order, rows_per_day, feistel_keys(seed, DAY_ORDER_STREAM, day))
    columns = [pa.array(np.arange(1, rows_per_day + 1))]
    table = table.remove_column(0)
    while table.num_columns:
        columns.append(table.column(0).take(order))
        table = table.remove_column(0)
    return pa.Table.from_arrays(columns, schema=SCHEMA), returning, new


def _days(days: int, rows_per_day: int, seed: int, start: date) -> Iterator[tuple[date, pa.Table]]:
    """The daily exports in order; see ``generate_days``."""
    window: deque[Returning] = deque(maxlen=REVISIT_WINDOW_DAYS)
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
        write_export(path, table.to_batches(max_chunksize=CHUNK_ROWS), _day_format(fmt, day))
        if progress:
            print(f"synthetic: wrote {path} ({table.num_rows:,} rows)", file=sys.stderr)
        paths.append(path)
    return paths
