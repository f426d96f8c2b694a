"""The derived statistics and word lists of ``tables.json``, loaded once: the real export's
strata counts, its transcript openings with their per-class counts, and the fact templates over
the generator's own vocabulary (see docs/synthetic.md for what was derived and how)."""

from __future__ import annotations

import json
from pathlib import Path

# The data tables (derived statistics, the openings and the fact vocabulary), loaded once.
DATA_PATH = Path(__file__).with_name("tables.json")
_DATA = json.loads(DATA_PATH.read_text(encoding="utf-8"))

# Rows of the real export per (claim_status, verified_status, author_ban_status).
STRATA: tuple[tuple[str | None, str, str, int], ...] = tuple(
    (label, verified, ban, count) for label, verified, ban, count in _DATA["strata"]
)

# Transcript openings with their row counts in the real export, per class, in table order.
OPENING_COUNTS: dict[str, dict[str, int]] = {
    label: dict(counts) for label, counts in _DATA["openings"].items()
}

# Fact templates over the generator's own vocabulary (unrelated to the export's sentences).
Part = str | range | tuple[str, ...]


def _template_part(part: str | dict[str, object]) -> Part:
    """One part of a data-file template: text, ``{"words": list}`` or ``{"integers": [lo, hi]}``."""
    if isinstance(part, str):
        return part
    if "words" in part:
        return tuple(_DATA["vocabulary"][part["words"]])
    low, high = part["integers"]
    return range(low, high)


# (weight, parts): a str is literal text, a range an integer drawn from it (10,000 and over get
# thousands separators), a tuple a word drawn from it. Weights set the comma, quote and
# non-ASCII shares described in docs/synthetic.md.
FACT_TEMPLATES: tuple[tuple[int, tuple[Part, ...]], ...] = tuple(
    (weight, tuple(_template_part(part) for part in parts))
    for weight, parts in _DATA["fact_templates"]
)
