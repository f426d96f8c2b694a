"""The warehouse's work done the way the original notebook did it, in pandas: the benchmark's (b).

Reads the export with `pd.read_csv` (or `pd.read_parquet`), cleans it, computes the engagement
ratios and the median + 1.5 x IQR outlier flags with a loop over the count columns, builds the
four marts (videos, claim_features, engagement_by_status, outlier_summary) and writes them to
Parquet files in OUT_DIR. It does the same work as `dbt build` minus the tests and the
quarantine, so it is a fair lower bound for "the notebook, run as a script".

Usage: `python bench/pandas_pipeline.py INPUT OUT_DIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.project import COUNT_COLUMNS

COUNTS = list(COUNT_COLUMNS)


def run(source: Path, out_dir: Path) -> None:
    df = pd.read_parquet(source) if source.suffix == ".parquet" else pd.read_csv(source)
    df = df.rename(columns={"#": "source_row_number"})
    for column in ["claim_status", "verified_status", "author_ban_status"]:
        df[column] = df[column].str.strip().str.lower()
    df = df.drop_duplicates("video_id")
    views = df["video_view_count"].where(df["video_view_count"] != 0)
    df["likes_per_view"] = df["video_like_count"] / views
    df["comments_per_view"] = df["video_comment_count"] / views
    df["shares_per_view"] = df["video_share_count"] / views
    df["downloads_per_view"] = df["video_download_count"] / views
    df["is_labeled"] = df["claim_status"].notna()
    df["is_claim"] = df["claim_status"].map({"claim": True, "opinion": False})
    df["transcription_length"] = df["video_transcription_text"].str.len()
    df["has_complete_features"] = df[["video_transcription_text", *COUNTS]].notna().all(axis=1)

    summary = []
    for column in COUNTS:
        q1, median, q3 = df[column].quantile([0.25, 0.5, 0.75])
        threshold = median + 1.5 * (q3 - q1)
        df[f"{column}_is_outlier"] = (df[column] > threshold).where(df[column].notna())
        outliers = int((df[column] > threshold).sum())
        summary.append((column, median, q1, q3, q3 - q1, threshold, outliers))
    outlier_summary = pd.DataFrame(
        summary, columns=["column_name", "median", "q1", "q3", "iqr", "threshold", "outlier_count"]
    )

    groups = df.groupby(["claim_status", "author_ban_status"], dropna=False)
    measures = {
        "views": "video_view_count",
        "likes": "video_like_count",
        "shares": "video_share_count",
        "likes_per_view": "likes_per_view",
        "comments_per_view": "comments_per_view",
        "shares_per_view": "shares_per_view",
    }
    engagement = groups.size().rename("video_count").to_frame()
    for name, column in measures.items():
        engagement[f"mean_{name}"] = groups[column].mean()
        engagement[f"median_{name}"] = groups[column].median()
    engagement = engagement.reset_index()

    claim_features = df[df["is_labeled"] & df["has_complete_features"]]
    out_dir.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out_dir / "videos.parquet")
    claim_features.to_parquet(out_dir / "claim_features.parquet")
    engagement.to_parquet(out_dir / "engagement_by_status.parquet")
    outlier_summary.to_parquet(out_dir / "outlier_summary.parquet")
    assert np.isfinite(outlier_summary["threshold"]).all()


if __name__ == "__main__":
    run(Path(sys.argv[1]), Path(sys.argv[2]))
