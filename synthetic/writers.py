"""Writing record batches as an export file: CSV as the export is written (minimal quoting, ``\\n``
line endings, missing values as empty cells), csv.gz with deterministic bytes, or Parquet; each
file is written beside and renamed into place, so it never appears half written."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from synthetic.schema import SCHEMA

CSV_SLICE_ROWS = 250_000


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


def write_export(
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
