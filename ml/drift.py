"""Drift between the training rows and a scoring run: the population stability index (PSI).

`reference` records, at training time, how each feature and the score are distributed: for a
number, the edges of its deciles on the training rows (ties merged) and the share of rows in
each bin, plus the share missing; for a category, the share of each value seen, plus "other"
and missing. `psi` bins a new run's values the same way and sums
(new share - training share) x ln(new share / training share) over the bins, each share floored
at `FLOOR` so an empty bin counts as a large, finite change. Above `config.PSI_THRESHOLD` the
run has drifted on that column: `score` says so in plain words and `ml.score_drift` keeps it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ml import config

FLOOR = 1e-4
MISSING = "(missing)"
OTHER = "(other)"


def _numeric_shares(values: np.ndarray, edges: list[float]) -> np.ndarray:
    """Shares of rows per bin (edges inner cut points) and, last, the share missing."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    bins = np.searchsorted(np.asarray(edges), values[~missing], side="right")
    counts = np.bincount(bins, minlength=len(edges) + 1).astype(float)
    counts = np.append(counts, missing.sum())
    return counts / max(len(values), 1)


def _category_shares(values: pd.Series, categories: list[str]) -> np.ndarray:
    """Shares of rows per known category, then other values, then missing."""
    text = values.astype(object)
    missing = text.isna().to_numpy()
    known = text.isin(categories).to_numpy()
    counts = [float((text == category).sum()) for category in categories]
    counts += [float((~known & ~missing).sum()), float(missing.sum())]
    return np.asarray(counts) / max(len(text), 1)


def reference(columns: dict[str, pd.Series | np.ndarray]) -> dict[str, Any]:
    """The training distribution of each column (numbers by deciles, text by category)."""
    profile: dict[str, Any] = {}
    for name, values in columns.items():
        series = pd.Series(values)
        if pd.api.types.is_numeric_dtype(series):
            numbers = series.to_numpy(dtype=float)
            present = numbers[~np.isnan(numbers)]
            quantiles = np.linspace(0, 1, config.PSI_BINS + 1)[1:-1]
            edges = sorted(set(np.quantile(present, quantiles).tolist())) if len(present) else []
            profile[name] = {
                "kind": "numeric",
                "edges": edges,
                "shares": _numeric_shares(numbers, edges).tolist(),
            }
        else:
            categories = sorted(str(value) for value in series.dropna().unique())
            profile[name] = {
                "kind": "category",
                "categories": categories,
                "shares": _category_shares(series, categories).tolist(),
            }
    return profile


def psi(entry: dict[str, Any], values: pd.Series | np.ndarray) -> float:
    """The population stability index of `values` against one column's training profile."""
    series = pd.Series(values)
    if entry["kind"] == "numeric":
        actual = _numeric_shares(series.to_numpy(dtype=float, na_value=np.nan), entry["edges"])
    else:
        actual = _category_shares(series, entry["categories"])
    expected = np.maximum(np.asarray(entry["shares"]), FLOOR)
    actual = np.maximum(actual, FLOOR)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def measure(profile: dict[str, Any], columns: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per profiled column present in `columns`: its PSI and whether it drifted."""
    rows = []
    for name, entry in profile.items():
        if name not in columns:
            continue
        value = psi(entry, columns[name])
        rows.append(
            {
                "feature": name,
                "psi": value,
                "threshold": config.PSI_THRESHOLD,
                "drifted": value > config.PSI_THRESHOLD,
            }
        )
    return rows


def warning(rows: list[dict[str, Any]]) -> str | None:
    """A plain-words warning naming the drifted columns, or None."""
    drifted = sorted((row for row in rows if row["drifted"]), key=lambda row: -row["psi"])
    if not drifted:
        return None
    named = ", ".join(f"{row['feature']} (PSI {row['psi']:.2f})" for row in drifted)
    return (
        f"warning: these videos are distributed unlike the training data on {named}; "
        f"above {config.PSI_THRESHOLD} the model's scores are less reliable: review more, and "
        "retrain with moderators' decisions on recent videos"
    )
