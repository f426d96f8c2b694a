"""Data of the distributions page: measures, quartiles, histograms, outliers (`reporting.*`).

Plain selects from the dbt models in `models/reporting/` (docs/reporting.md): the quartiles,
whiskers, bins and outliers are computed by the warehouse build, here they are only read,
filtered and ordered. Every statement goes through `report.data.read`, which records the
relations read.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from report.data.read import query, read_rows
from report.theme import MEASURE_LABELS, measure_label

MEASURES = "reporting.rpt_measures"
DISTRIBUTION_STATS = "reporting.rpt_distribution_stats"
HISTOGRAM_BINNINGS = "reporting.rpt_histogram_binnings"
HISTOGRAMS = "reporting.rpt_histograms"
HISTOGRAMS_BY_BAN_STATUS = "reporting.rpt_histograms_by_ban_status"
OUTLIERS = "reporting.rpt_outliers"


def measures(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Video duration plus the count columns, in the report's order."""
    rows = read_rows(con, f"select measure from {MEASURES} order by measure_position")
    return [row[0] for row in rows]


def query_distribution_stats(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Box-plot statistics per (measure, group), group = claim status or 'all videos'.

    Quartiles are exact; the upper whisker ends at the largest value within the one outlier
    rule (`outlier_threshold`), the lower at the minimum; `above_whisker` counts the values
    beyond (see `rpt_distribution_stats`).
    """
    return query(con, f"select * from {DISTRIBUTION_STATS} order by measure, group_name")


@dataclass(frozen=True)
class Binning:
    """How a measure is binned: `width` in its unit, or in decades of log10(value + 1)."""

    width: float
    log: bool

    def describe(self, measure: str) -> str:
        """The bin width in words, e.g. '2 seconds' or 'a tenth of a decade (log scale)'."""
        if self.log:
            return f"{self.width:g} of a power of ten each, on a log scale"
        unit = MEASURE_LABELS.get(measure, (measure, ""))[1].split(" per ")[0]
        return f"{self.width:,g} {unit}".strip()


def binnings(con: duckdb.DuckDBPyConnection) -> dict[str, Binning]:
    """The histogram binning of each measure (`rpt_histogram_binnings`): round linear bins for
    duration, bins of equal width in log10(value + 1) for the counts."""
    rows = read_rows(con, f"select measure, width, is_log from {HISTOGRAM_BINNINGS}")
    return {measure: Binning(float(width), bool(is_log)) for measure, width, is_log in rows}


def query_histograms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Video counts per (measure, bin, claim status); `bin_end` is the next bin's start."""
    return query(con, f"select * from {HISTOGRAMS} order by measure, bin_start, claim_status")


def query_views_histogram_by_ban_status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Video counts per (view-count bin, claim status, author ban status): the dashboard's."""
    return query(
        con,
        f"""
        select * from {HISTOGRAMS_BY_BAN_STATUS}
        where measure = 'video_view_count'
        order by measure, bin_start, claim_status, author_ban_status
        """,
    )


def query_outliers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per count column: quartiles, the outlier threshold, outliers and their share of the
    videos with the count, and the rule (`outlier_method`, `outlier_iqr_multiplier`)."""
    frame = query(
        con, f"select * exclude (column_position) from {OUTLIERS} order by column_position"
    )
    frame["label"] = frame["column_name"].map(measure_label)
    return frame
