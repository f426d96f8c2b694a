"""The distributions every synthetic video is drawn from, in the single export and the daily ones
alike: strata in the real proportions, duration, views per class and the chained engagement
ratios; ``video_batch`` turns strata and ids into rows of the export's schema."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from synthetic.schema import LABELS, SCHEMA
from synthetic.tables import STRATA
from synthetic.transcripts import transcripts

_STRATUM_CODE = np.array([LABELS.index(stratum[0]) for stratum in STRATA])
_STRATUM_COLUMNS = [pa.array([stratum[i] for stratum in STRATA], pa.string()) for i in range(3)]

DURATION_SEC = (5, 60)
# Per class code: views in [low, high), the top of the like/view and comment/download ratios
# (unlabeled rows get zeros, written as missing).
VIEW_LOW = np.array([1_000, 20, 0])
VIEW_HIGH = np.array([1_000_000, 10_000, 1])
LIKE_MAX = np.array([2 / 3, 4 / 9, 0.0])
COMMENT_MAX = np.array([2 / 3, 0.4, 0.0])
SHARE_MAX = 0.4  # of likes, both classes
DOWNLOAD_MAX = 0.025  # of likes, both classes


def stratum_bounds(rows: int) -> np.ndarray:
    """Exclusive upper rank of each stratum: the real proportions, cumulatively rounded."""
    counts = np.array([stratum[3] for stratum in STRATA], dtype=np.int64)
    total = int(counts.sum())
    return ((np.cumsum(counts) * rows + total // 2) // total).astype(np.uint64)


def video_batch(
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
        transcripts(rng, codes),
        verified_status,
        author_ban_status,
        *(
            pa.array(values.astype(np.int64), mask=codes == 2)
            for values in (views, likes, shares, downloads, comments)
        ),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)
