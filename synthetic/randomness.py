"""Where the generator's randomness comes from: one SeedSequence spawn key per purpose (so each
chunk, day and permutation depends only on its own key), and the keyed permutation (a Feistel
network) that gives unique-looking video ids, shuffled strata ranks and a day's row order."""

from __future__ import annotations

import numpy as np

# SeedSequence spawn keys: (0, k) for chunk k, (1,) the video-id and (2,) the row-rank permutation.
CHUNK_STREAM, ID_STREAM, RANK_STREAM = 0, 1, 2

# SeedSequence spawn keys of the daily exports: (3, day, part, k) chunk k of a day's new videos
# (part 0 those that may come back, 1 the rest), (4, day, part) their row-rank permutation, (5,)
# the video ids, (6, day) the events of a day's returning videos, (7, day) the re-reports picked
# on a day, (8, day) the order of a day's rows.
DAY_CHUNK_STREAM, DAY_RANK_STREAM, DAY_ID_STREAM = 3, 4, 5
DAY_EVENT_STREAM, DAY_PICK_STREAM, DAY_ORDER_STREAM = 6, 7, 8


def _mix(values: np.ndarray, key: np.uint64) -> np.ndarray:
    """Hash uint64 values with ``key`` (splitmix64 finaliser; uint64 arithmetic wraps)."""
    z = values ^ key
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def permute(values: np.ndarray, domain: int, keys: np.ndarray) -> np.ndarray:
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


def feistel_keys(seed: int, *stream: int) -> np.ndarray:
    """Four round keys for ``permute``, from the seed's ``stream`` (a SeedSequence spawn key)."""
    return np.random.SeedSequence(seed, spawn_key=stream).generate_state(4, dtype=np.uint64)
