"""Paths, relation names, seeds and thresholds shared by every `ml` command."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

DB_PATH_ENV_VAR = "TIKTOK_DUCKDB_PATH"
DEFAULT_DB_FILE = "tiktok.duckdb"
DEFAULT_ARTIFACTS_DIR = REPO_ROOT / "artifacts"

# The public marts `ml/` reads (dbt builds them) and the schema it writes.
FEATURES_RELATION = "marts.claim_features"
VIDEOS_RELATION = "marts.videos"
ML_SCHEMA = "ml"

SEED = 42
# One stratified split of the labeled videos: train / validation / test.
SPLIT_FRACTIONS = {"train": 0.6, "validation": 0.2, "test": 0.2}
# Training reads at most this many labeled videos: a larger mart is sampled, stratified on the
# label (the real export has 19,084; 10M synthetic rows have about 4.7M).
TRAIN_SAMPLE_ROWS = 100_000
CV_FOLDS = 3
# Seconds of cross-validation per candidate before the rest of its grid is skipped (recorded).
GRID_SECONDS_PER_CANDIDATE = 30.0
PERMUTATION_REPEATS = 3

# Champion rule: highest validation recall among models whose validation precision reaches the
# floor; ties broken by PR-AUC, then F1. A video is predicted a claim at probability >= threshold.
PRECISION_FLOOR = 0.99
DECISION_THRESHOLD = 0.5

# Costs of outcomes, in units of one opinion wrongly flagged (`python -m ml train --cost-*`):
# a claim cleared without review, an opinion flagged, one human review. They set the decision
# threshold (tuned for the least cost) and the review band (see ml/abstention.py).
COST_MISSED_CLAIM = 50.0
COST_FALSE_FLAG = 1.0
COST_REVIEW = 0.2

# The queue reserves one place in UNCERTAIN_EVERY, from the top, for the most uncertain videos
# (probability nearest 0.5) so moderators' decisions teach the model the most: 5%.
UNCERTAIN_EVERY = 20

# Drift: population stability index of a feature or the score against the training rows; above
# this, `score` warns (0.1-0.25 is the usual "moderate shift" range, above 0.25 "major").
PSI_THRESHOLD = 0.2
PSI_BINS = 10

# The rule the model card measures as a shortcut: a video with more views than this is a claim.
VIEWS_RULE_THRESHOLD = 10_000

SCORE_BATCH_ROWS = 131_072
# Threads that predict batches while the next one is read (one per core).
SCORE_WORKERS = os.cpu_count() or 1

# Native thread pools (OpenMP in HistGradientBoosting, BLAS) stay at one thread: on a shared
# 2-core machine their spin-waiting turned a 0.3 s fit into 8 s. Forests parallelise with joblib.
NATIVE_THREADS = 1

MODEL_FILE = "champion.skops"
METRICS_FILE = "metrics.json"
MODEL_CARD_FILE = "model_card.md"
STATISTICS_FILE = "statistics.md"


def default_db_path() -> Path:
    """`$TIKTOK_DUCKDB_PATH` if set, else `tiktok.duckdb` at the repository root (as dbt uses)."""
    return Path(os.environ.get(DB_PATH_ENV_VAR) or REPO_ROOT / DEFAULT_DB_FILE)
