"""Data of the distributions page: measures, quartiles, histograms, outliers (`marts.*`).

These functions are being rebuilt as dbt models in `models/reporting/` (schema `reporting`).
Their names, signatures and output frames are the contract: each body can be swapped for a
plain `select * from reporting.<model>` without touching the pages. Every statement goes
through `report.data.read` (`query`, `read_rows`), which records the relations read.

The measures (duration and the count columns) are read from `marts.outlier_summary`, the one
place the warehouse lists its count columns, and checked against `marts.videos`' columns before
they are put into SQL.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from report.data.read import query, read_columns, read_rows
from report.theme import ALL_VIDEOS, DURATION, MEASURE_LABELS, UNLABELED, measure_label

VIDEOS = "marts.videos"
ENGAGEMENT = "marts.engagement_by_status"
OUTLIERS = "marts.outlier_summary"
CLAIM_FEATURES = "marts.claim_features"
REQUIRED_MARTS = (VIDEOS, ENGAGEMENT, OUTLIERS, CLAIM_FEATURES)
HISTOGRAM_BINS = 40


def mart_sizes(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of each mart the report needs (the report's data fingerprint)."""
    sizes = {}
    for relation in REQUIRED_MARTS:
        rows = read_rows(con, f"select count(*) from {relation}")
        sizes[relation] = int(rows[0][0]) if rows else 0
    return sizes


def nice_step(span: float, bins: int = HISTOGRAM_BINS) -> float:
    """A round bin width (1, 2, 2.5 or 5 x 10^k) giving about `bins` bins over `span`."""
    if not span or span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / bins
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            step = factor * power
            return float(max(step, 1.0))
    return float(10 * power)


def measures(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Video duration plus the count columns `marts.outlier_summary` lists, in its order.

    Raises `ValueError` if a listed column is not a column of `marts.videos` (nothing but a
    checked column name is ever put into the SQL text).
    """
    video_columns = set(read_columns(con, VIDEOS))
    listed = [row[0] for row in read_rows(con, f"select column_name from {OUTLIERS}")]
    order = {name: index for index, name in enumerate(MEASURE_LABELS)}
    counts = sorted(listed, key=lambda name: order.get(name, len(order)))
    result = [DURATION, *counts]
    unknown = [name for name in result if name not in video_columns]
    if unknown:
        raise ValueError(f"{OUTLIERS} lists columns that {VIDEOS} lacks: {unknown}")
    return result


def _long_measures_sql(measure_names: Sequence[str]) -> str:
    """A CTE body: one row per (video, measure) with a non-null value, and its claim status."""
    casts = ",\n            ".join(
        f'cast("{name}" as double) as "{name}"' for name in measure_names
    )
    names = ", ".join(f'"{name}"' for name in measure_names)
    return f"""
    unpivot (
        select
            coalesce(claim_status, '{UNLABELED}') as claim_status,
            author_ban_status,
            {casts}
        from {VIDEOS}
    )
    on {names}
    into name measure value value
    """


def query_distribution_stats(
    con: duckdb.DuckDBPyConnection, measure_names: Sequence[str]
) -> pd.DataFrame:
    """Box-plot statistics per (measure, group), group = claim status or 'all videos'.

    Quartiles are exact (`quantile_cont`, linear interpolation, as the marts compute them);
    whiskers end at the most extreme values within 1.5 x IQR of the box (Tukey, as seaborn
    draws them); `above_whisker` / `below_whisker` count the values beyond.
    """
    sql = f"""
    with

    long_values as ({_long_measures_sql(measure_names)}),

    quartiles as (
        select
            measure,
            coalesce(claim_status, '{ALL_VIDEOS}') as group_name,
            count(*) as video_count,
            min(value) as min_value,
            quantile_cont(value, 0.25) as q1,
            quantile_cont(value, 0.5) as median,
            quantile_cont(value, 0.75) as q3,
            max(value) as max_value,
            avg(value) as mean
        from long_values
        group by grouping sets ((measure, claim_status), (measure))
    ),

    fenced as (
        select
            *,
            q1 - 1.5 * (q3 - q1) as lower_fence,
            q3 + 1.5 * (q3 - q1) as upper_fence
        from quartiles
    ),

    per_group as (
        select
            fenced.measure,
            fenced.group_name,
            min(long_values.value) filter (
                where long_values.value >= fenced.lower_fence
            ) as whisker_low,
            max(long_values.value) filter (
                where long_values.value <= fenced.upper_fence
            ) as whisker_high,
            count(*) filter (where long_values.value < fenced.lower_fence) as below_whisker,
            count(*) filter (where long_values.value > fenced.upper_fence) as above_whisker
        from long_values
        inner join fenced
            on long_values.measure = fenced.measure
            and (
                fenced.group_name = long_values.claim_status
                or fenced.group_name = '{ALL_VIDEOS}'
            )
        group by 1, 2
    )

    select
        fenced.measure,
        fenced.group_name,
        fenced.video_count,
        fenced.min_value,
        fenced.q1,
        fenced.median,
        fenced.q3,
        fenced.max_value,
        fenced.mean,
        per_group.whisker_low,
        per_group.whisker_high,
        per_group.below_whisker,
        per_group.above_whisker
    from fenced
    inner join per_group
        on fenced.measure = per_group.measure
        and fenced.group_name = per_group.group_name
    order by 1, 2
    """
    return query(con, sql)


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


def binnings(stats: pd.DataFrame) -> dict[str, Binning]:
    """A histogram binning per measure from its range over all videos.

    Duration is spread evenly, so it gets round linear bins; the counts span five or six
    powers of ten, so they get bins of equal width in log10(value + 1), drawn on a log axis,
    where claims and opinions show as two humps instead of one bar at zero.
    """
    overall = stats[stats["group_name"] == ALL_VIDEOS]
    result = {}
    for row in overall.itertuples():
        if row.measure == DURATION:
            span = float(row.max_value) - min(0.0, float(row.min_value))
            result[row.measure] = Binning(nice_step(span), log=False)
        else:
            decades = math.log10(max(float(row.max_value), 0.0) + 1.0)
            result[row.measure] = Binning(
                max(0.05, round(decades / HISTOGRAM_BINS * 20) / 20), True
            )
    return result


def _widths_cte(widths: dict[str, Binning]) -> str:
    rows = ", ".join(
        f"('{name}', {float(binning.width)!r}, {str(binning.log).lower()})"
        for name, binning in widths.items()
    )
    return f"select * from (values {rows}) as widths (measure, width, is_log)"


def query_histograms(
    con: duckdb.DuckDBPyConnection, widths: dict[str, Binning], by_ban_status: bool = False
) -> pd.DataFrame:
    """Video counts per (measure, bin, claim status[, author ban status]).

    A linear bin starts at `floor(value / width) * width`; a log bin at
    `10 ^ (floor(log10(value + 1) / width) * width) - 1`. `bin_end` is the next bin's start.
    """
    ban_column = "long_values.author_ban_status," if by_ban_status else ""
    ban_group = ", 5" if by_ban_status else ""
    ban_order = ", author_ban_status" if by_ban_status else ""
    sql = f"""
    with

    long_values as ({_long_measures_sql(list(widths))}),

    widths as ({_widths_cte(widths)}),

    binned as (
        select
            long_values.measure,
            case
                when widths.is_log
                    then floor(log10(greatest(long_values.value, 0) + 1) / widths.width)
                else floor(long_values.value / widths.width)
            end * widths.width as bin_key,
            widths.width,
            long_values.claim_status,
            {ban_column}
            count(*) as video_count,
            any_value(widths.is_log) as is_log
        from long_values
        inner join widths
            on long_values.measure = widths.measure
        group by 1, 2, 3, 4{ban_group}
    )

    select
        * exclude (bin_key, is_log),
        case when is_log then pow(10, bin_key) - 1 else bin_key end as bin_start,
        case
            when is_log then pow(10, bin_key + width) - 1 else bin_key + width
        end as bin_end
    from binned
    order by measure, bin_start, claim_status{ban_order}
    """
    return query(con, sql)


def query_outliers(con: duckdb.DuckDBPyConnection, measure_names: Sequence[str]) -> pd.DataFrame:
    """`marts.outlier_summary` plus how many videos have each count, and the outliers' share.

    `measure_names` are checked column names (see `measures`); the summary's own rows decide
    which of them appear.
    """
    coverage = ",\n            ".join(f'count("{name}") as "{name}"' for name in measure_names)
    sql = f"""
    with

    summary as (
        select * from {OUTLIERS}
    ),

    coverage as (
        select
            {coverage}
        from {VIDEOS}
    ),

    coverage_long as (
        unpivot coverage
        on columns(*)
        into name column_name value videos_with_value
    )

    select
        summary.*,
        coverage_long.videos_with_value,
        summary.outlier_count / coverage_long.videos_with_value as outlier_share
    from summary
    left join coverage_long
        on summary.column_name = coverage_long.column_name
    """
    frame = query(con, sql)
    frame["label"] = frame["column_name"].map(measure_label)
    return frame
