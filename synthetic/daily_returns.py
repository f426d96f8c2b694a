"""What becomes of a day's videos in later daily exports: which come back within the window, and
how (re-reports with grown counts, late labels, bans), with the rates that set how often."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from synthetic.randomness import DAY_EVENT_STREAM, DAY_PICK_STREAM
from synthetic.schema import SCHEMA
from warehouse.project import COUNT_COLUMNS

# Daily exports: each day's file holds new videos and videos of the last REVISIT_WINDOW_DAYS
# days' files again. Sizes and rates are shares of a day's rows (``rows_per_day``).
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


def share(rate: float, rows: int) -> int:
    """``rate`` of ``rows``, rounded half up."""
    return int(rate * rows + 0.5)


@dataclass(frozen=True)
class Returning:
    """Videos that may be exported again: their first rows and what happens to them later.

    ``rows`` holds each video as first generated (its true label, first counts and status);
    ``at(day)`` shows it as that day's export does.
    """

    rows: pa.Table
    first_day: np.ndarray  # day index of the first export
    label_day: np.ndarray  # first day its label shows (_NEVER: no label is withheld)
    ban_day: np.ndarray  # first day its author shows as banned (_NEVER: no ban)
    growth: np.ndarray  # growth of its counts per day, as a share of its first counts

    def take(self, index: np.ndarray) -> Returning:
        return Returning(
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


def plan_returns(seed: int, day: int, rows: pa.Table, rows_per_day: int) -> Returning:
    """Decide what happens later to a day's new videos that may come back.

    The first ``LATE_LABEL_RATE`` x rows_per_day of them (if labelled) are exported without
    their label until 1..REVISIT_WINDOW_DAYS days later (spread evenly). ``BAN_RATE`` x
    rows_per_day authors not yet banned are banned 1..REVISIT_WINDOW_DAYS days later, drawn
    with BAN_WEIGHTS, so mostly authors of claims that went viral.
    """
    size = rows.num_rows
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DAY_EVENT_STREAM, day)))
    labelled = pc.is_valid(rows["claim_status"]).to_numpy()
    is_claim = pc.fill_null(pc.equal(rows["claim_status"], "claim"), False).to_numpy()
    not_banned = pc.not_equal(rows["author_ban_status"], "banned").to_numpy()
    position = np.arange(size)
    pending = labelled & (position < share(LATE_LABEL_RATE, rows_per_day))
    label_day = np.where(pending, day + 1 + position % REVISIT_WINDOW_DAYS, _NEVER)
    viral = is_claim & (rng.random(size) < VIRAL_CLAIM_SHARE)
    growth = np.where(
        viral, rng.uniform(*VIRAL_GROWTH_PER_DAY, size), rng.uniform(*GROWTH_PER_DAY, size)
    )
    weight = np.select([viral, is_claim], BAN_WEIGHTS[:2], default=BAN_WEIGHTS[2])
    bannable = labelled & not_banned
    # Weighted sampling without replacement: the smallest Exp(1) / weight keys.
    key = np.where(bannable, rng.exponential(size=size) / weight, np.inf)
    bans = min(share(BAN_RATE, rows_per_day), int(bannable.sum()))
    ban_day = np.full(size, _NEVER)
    ban_day[np.argsort(key, kind="stable")[:bans]] = day + 1 + np.arange(bans) % REVISIT_WINDOW_DAYS
    return Returning(rows, np.full(size, day), label_day, ban_day, growth)


def exported_again(seed: int, day: int, window: Sequence[Returning], rows_per_day: int) -> pa.Table:
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
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DAY_PICK_STREAM, day)))
    priority = rng.random(event.size)
    candidates = np.flatnonzero(labelled & ~event)
    picks = min(share(REREPORT_RATE, rows_per_day), candidates.size)
    picked = candidates[np.argsort(priority[candidates], kind="stable")[:picks]]
    index = np.sort(np.concatenate([np.flatnonzero(event), picked]))[:rows_per_day]
    # Taken part by part: the window's rows are never copied into one table.
    bounds = np.cumsum([0, *(part.rows.num_rows for part in window)])
    split = np.searchsorted(index, bounds)
    return pa.concat_tables(
        part.take(index[split[k] : split[k + 1]] - bounds[k]).at(day)
        for k, part in enumerate(window)
    )
