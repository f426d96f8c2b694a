"""The synthetic export's layout: its columns and types (``SCHEMA``), the class labels, the file
formats, and the default size and seed that every part of the generator shares."""

from __future__ import annotations

import pyarrow as pa

from warehouse.project import COUNT_COLUMNS

DEFAULT_ROWS = 19_382
DEFAULT_SEED = 42
CHUNK_ROWS = 1_000_000
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
