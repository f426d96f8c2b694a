"""The report's queries and charts: DuckDB aggregates in, altair charts out.

Every chart here is fed by a query that aggregates `marts.*` or `ml.*` in DuckDB (bins,
quartiles, group counts, sums, cumulative counts) and returns a few hundred rows at most,
whatever the number of videos. The one exception, the views-vs-likes scatter, embeds a
deterministic hash-ordered sample of at most `SCATTER_SAMPLE_ROWS` videos. Query functions
(`query_*`) take an open DuckDB connection and return small pandas frames; chart functions
(`*_chart`) take those frames and return altair charts without top-level configuration, so the
caller can concatenate or configure them. The classifier's confusion matrix, precision-recall,
calibration and importance charts are `ml.charts`' own, fed by the queries here.

The measures (duration and the count columns) are read from `marts.outlier_summary`, the one
place the warehouse lists its count columns, and checked against `marts.videos`' columns before
they are put into SQL.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import duckdb
import pandas as pd

VIDEOS = "marts.videos"
ENGAGEMENT = "marts.engagement_by_status"
OUTLIERS = "marts.outlier_summary"

UNLABELED = "unlabeled"
ALL_VIDEOS = "all videos"
HISTOGRAM_BINS = 40
SCATTER_SAMPLE_ROWS = 2_000

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
CLAIM_COLORS = {"claim": "#E69F00", "opinion": "#0072B2", UNLABELED: "#BBBBBB"}
BAN_COLORS = {"active": "#009E73", "under review": "#CC79A7", "banned": "#D55E00"}
VERIFIED_COLORS = {"verified": "#56B4E9", "not verified": "#6F6F6F"}
GROUP_COLORS = {ALL_VIDEOS: "#6F6F6F", **CLAIM_COLORS}
ACCENT = "#0072B2"
# Axis label formats: d3 picks the decimals from the tick step; "~" trims trailing zeros.
COUNT_AXIS = ",~f"
RATE_AXIS = "~%"
TIMES = "\u00d7"  # the multiplication sign, for "1.5 x IQR" in titles

# Human names and units of the measures, used in titles and axis labels.
MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "video_duration_sec": ("Video duration", "seconds"),
    "video_view_count": ("Views", "views per video"),
    "video_like_count": ("Likes", "likes per video"),
    "video_share_count": ("Shares", "shares per video"),
    "video_download_count": ("Downloads", "downloads per video"),
    "video_comment_count": ("Comments", "comments per video"),
}
DURATION = "video_duration_sec"

RATIO_LABELS = {
    "likes_per_view": "Likes per view",
    "comments_per_view": "Comments per view",
    "shares_per_view": "Shares per view",
}


def measure_label(measure: str) -> str:
    """'Views' for `video_view_count`; the column name itself for an unknown column."""
    return MEASURE_LABELS.get(measure, (measure, ""))[0]


def measure_axis_title(measure: str) -> str:
    """Axis title with the unit, e.g. 'Views (views per video)'."""
    label, unit = MEASURE_LABELS.get(measure, (measure, "count"))
    return f"{label} ({unit})"


def _scale(colors: dict[str, str], domain: Sequence[str] | None = None) -> alt.Scale:
    """A fixed colour scale over `domain` (default: every key of `colors`)."""
    keys = list(domain) if domain is not None else list(colors)
    return alt.Scale(domain=keys, range=[colors.get(key, "#999999") for key in keys])


def _title(text: str, subtitle: str | Sequence[str] | None = None) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle or alt.Undefined, anchor="start")


def query(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """Run `sql` and return a frame with plain numpy/object columns (altair and JSON friendly)."""
    return plain_frame(con.execute(sql).df())


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """pandas' nullable string and integer columns as object and float64 columns.

    Floats are rounded to 12 significant digits: DuckDB adds floats in parallel, in an order
    that can change the last bits from run to run, and a chart's spec should not change
    (its PNG is redrawn only when it does).
    """
    for column in frame.columns:
        dtype = frame[column].dtype
        if not pd.api.types.is_extension_array_dtype(dtype) and not isinstance(
            dtype, pd.StringDtype
        ):
            if pd.api.types.is_object_dtype(dtype):
                frame[column] = frame[column].where(frame[column].notna(), None)
        elif isinstance(dtype, pd.StringDtype) or pd.api.types.is_bool_dtype(dtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif pd.api.types.is_numeric_dtype(dtype):
            frame[column] = frame[column].astype("float64")
        if pd.api.types.is_float_dtype(frame[column].dtype):
            frame[column] = frame[column].map(_twelve_digits)
    return frame


def _twelve_digits(value: float) -> float:
    """`value` rounded to 12 significant digits (NaN stays NaN)."""
    return float(f"{value:.12g}") if math.isfinite(value) else value


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


# --------------------------------------------------------------------------------------------
# Measures and distribution statistics
# --------------------------------------------------------------------------------------------


def measures(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Video duration plus the count columns `marts.outlier_summary` lists, in its order.

    Raises `ValueError` if a listed column is not a column of `marts.videos` (nothing but a
    checked column name is ever put into the SQL text).
    """
    video_columns = {row[0] for row in con.execute(f"describe {VIDEOS}").fetchall()}
    listed = [row[0] for row in con.execute(f"select column_name from {OUTLIERS}").fetchall()]
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


def measure_axis(
    measure: str, binning: Binning, x_max: float, title: str | None = None
) -> tuple[alt.Scale, alt.Axis]:
    """Scale and axis of a measure: linear, or symlog (0 stays on the axis) with 10^k ticks."""
    axis_title = title if title is not None else measure_axis_title(measure)
    if not binning.log:
        return (
            alt.Scale(domain=[0, x_max], nice=False, zero=True),
            alt.Axis(format=COUNT_AXIS, labelOverlap=True, title=axis_title),
        )
    top = math.floor(math.log10(max(x_max, 0.0) + 1.0))
    ticks = [0] + [10**power for power in range(0, top + 1)]
    if axis_title.endswith(")"):
        axis_title = f"{axis_title[:-1]}, log scale)"
    return (
        alt.Scale(type="symlog", constant=1, domain=[0, max(x_max, ticks[-1])], nice=False),
        alt.Axis(values=ticks, format=COUNT_AXIS, labelOverlap=True, title=axis_title),
    )


def measure_x(measure: str, binning: Binning, x_max: float, title: str | None = None) -> alt.X:
    """The histogram's x encoding (`bin_start`) on the measure's scale and axis."""
    scale, axis = measure_axis(measure, binning, x_max, title)
    return alt.X("bin_start:Q", scale=scale, axis=axis)


def box_hist_chart(
    measure: str,
    stats: pd.DataFrame,
    histogram: pd.DataFrame,
    binning: Binning,
    width: int = 520,
) -> alt.VConcatChart:
    """A box plot per group (all videos, claim, opinion) above a stacked histogram.

    Both share the x scale (linear for duration, log for the counts), so a box lines up with
    the bars below it.
    """
    label = measure_label(measure)
    stats = stats[stats["measure"] == measure].copy()
    stats["order"] = stats["group_name"].map({ALL_VIDEOS: 0, "claim": 1, "opinion": 2}).fillna(3)
    groups = stats.sort_values("order")["group_name"].tolist()
    histogram = histogram[histogram["measure"] == measure]
    x_max = float(max(stats["max_value"].max(), histogram["bin_end"].max()))
    x_scale, x_axis = measure_axis(measure, binning, x_max)

    base = alt.Chart(stats).encode(
        y=alt.Y("group_name:N", sort=groups, title=None, axis=alt.Axis(labelFontWeight="bold")),
        tooltip=[
            alt.Tooltip("group_name:N", title="Group"),
            alt.Tooltip("video_count:Q", title="Videos", format=","),
            alt.Tooltip("min_value:Q", title="Minimum", format=","),
            alt.Tooltip("q1:Q", title="First quartile", format=",.1f"),
            alt.Tooltip("median:Q", title="Median", format=",.1f"),
            alt.Tooltip("mean:Q", title="Mean", format=",.1f"),
            alt.Tooltip("q3:Q", title="Third quartile", format=",.1f"),
            alt.Tooltip("max_value:Q", title="Maximum", format=","),
            alt.Tooltip("above_whisker:Q", title="Videos beyond the upper whisker", format=","),
        ],
    )
    color = alt.Color("group_name:N", scale=_scale(GROUP_COLORS, groups), legend=None)
    whisker = base.mark_rule(color="#444444").encode(
        x=alt.X(
            "whisker_low:Q", scale=x_scale, axis=alt.Axis(**{**x_axis.to_dict(), "title": None})
        ),
        x2="whisker_high:Q",
    )
    box = base.mark_bar(size=18, stroke="#333333", strokeWidth=0.8).encode(
        x=alt.X("q1:Q", scale=x_scale), x2="q3:Q", color=color
    )
    median = base.mark_tick(color="#111111", size=18, thickness=2.5).encode(
        x=alt.X("median:Q", scale=x_scale)
    )
    extreme = base.mark_point(shape="diamond", filled=True, size=40, color="#444444").encode(
        x=alt.X("max_value:Q", scale=x_scale)
    )
    boxes = (whisker + box + median + extreme).properties(
        width=width,
        height=28 * len(groups),
        title=_title(
            f"{label}: distribution",
            f"Box: quartiles and median · whiskers: 1.5 {TIMES} IQR · diamond: maximum",
        ),
    )

    present = [key for key in CLAIM_COLORS if key in set(histogram["claim_status"])]
    bars = (
        alt.Chart(histogram)
        .mark_bar(stroke="white", strokeWidth=0.3)
        .encode(
            x=alt.X("bin_start:Q", scale=x_scale, axis=x_axis),
            x2="bin_end:Q",
            y=alt.Y(
                "sum(video_count):Q", title="Videos", stack="zero", axis=alt.Axis(format=COUNT_AXIS)
            ),
            color=alt.Color(
                "claim_status:N",
                scale=_scale(CLAIM_COLORS, present),
                title="Claim status",
                legend=alt.Legend(orient="top", direction="horizontal", titleOrient="left"),
            ),
            order=alt.Order("claim_status:N", sort="ascending"),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="From", format=",.1f"),
                alt.Tooltip("bin_end:Q", title="To (excluded)", format=",.1f"),
                alt.Tooltip("claim_status:N", title="Claim status"),
                alt.Tooltip("sum(video_count):Q", title="Videos", format=","),
            ],
        )
        .properties(width=width, height=200)
    )
    return alt.vconcat(boxes, bars, spacing=6).resolve_scale(x="shared", color="independent")


# --------------------------------------------------------------------------------------------
# Group counts and medians
# --------------------------------------------------------------------------------------------


def query_status_counts(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Videos per (claim status, `by`), `by` being `verified_status` or `author_ban_status`."""
    if by not in {"verified_status", "author_ban_status"}:
        raise ValueError(f"cannot split by {by!r}")
    sql = f"""
    select
        coalesce(claim_status, '{UNLABELED}') as claim_status,
        {by},
        count(*) as video_count
    from {VIDEOS}
    group by 1, 2
    order by 1, 2
    """
    return query(con, sql)


def status_counts_chart(counts: pd.DataFrame, by: str) -> alt.Chart:
    """Grouped bars: videos per claim status, one bar per `by` value, with counts on top."""
    colors = VERIFIED_COLORS if by == "verified_status" else BAN_COLORS
    name = "Verified status" if by == "verified_status" else "Author ban status"
    claim_order = [key for key in CLAIM_COLORS if key in set(counts["claim_status"])]
    by_order = [key for key in colors if key in set(counts[by])]
    totals = counts.groupby("claim_status")["video_count"].transform("sum")
    counts = counts.assign(share_of_status=counts["video_count"] / totals)
    base = alt.Chart(counts).encode(
        x=alt.X(
            "claim_status:N", sort=claim_order, title="Claim status", axis=alt.Axis(labelAngle=0)
        ),
        xOffset=alt.XOffset(f"{by}:N", sort=by_order),
        y=alt.Y("video_count:Q", title="Videos", axis=alt.Axis(format=COUNT_AXIS)),
        tooltip=[
            alt.Tooltip("claim_status:N", title="Claim status"),
            alt.Tooltip(f"{by}:N", title=name),
            alt.Tooltip("video_count:Q", title="Videos", format=","),
            alt.Tooltip("share_of_status:Q", title="Share of the claim status", format=".1%"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(f"{by}:N", scale=_scale(colors, by_order), title=name, sort=by_order)
    )
    labels = base.mark_text(dy=-6, fontSize=11, color="#333333").encode(
        text=alt.Text("video_count:Q", format=",")
    )
    return (bars + labels).properties(
        width=380,
        height=260,
        title=_title(
            f"Videos by claim status and {name.lower()}",
            "Unlabeled videos have no claim status" if UNLABELED in claim_order else None,
        ),
    )


def query_median_views(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Median (exact) and mean views per `by` value over videos with a view count."""
    if by not in {"claim_status", "author_ban_status"}:
        raise ValueError(f"cannot group by {by!r}")
    sql = f"""
    select
        {by},
        count(video_view_count) as video_count,
        quantile_cont(video_view_count, 0.5) as median_views,
        avg(video_view_count) as mean_views
    from {VIDEOS}
    where video_view_count is not null
    group by 1
    order by 1
    """
    return query(con, sql)


def median_views_chart(medians: pd.DataFrame, by: str) -> alt.Chart:
    """Bars of median views per claim status or author ban status, labelled with the value."""
    colors = CLAIM_COLORS if by == "claim_status" else BAN_COLORS
    name = "Claim status" if by == "claim_status" else "Author ban status"
    order = [key for key in colors if key in set(medians[by])]
    base = alt.Chart(medians).encode(
        x=alt.X(f"{by}:N", sort=order, title=name, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "median_views:Q",
            title="Median views (views per video)",
            axis=alt.Axis(format=COUNT_AXIS),
        ),
        tooltip=[
            alt.Tooltip(f"{by}:N", title=name),
            alt.Tooltip("median_views:Q", title="Median views", format=",.1f"),
            alt.Tooltip("mean_views:Q", title="Mean views", format=",.0f"),
            alt.Tooltip("video_count:Q", title="Videos with a view count", format=","),
        ],
    )
    bars = base.mark_bar(width={"band": 0.6}).encode(
        color=alt.Color(f"{by}:N", scale=_scale(colors, order), legend=None)
    )
    labels = base.mark_text(dy=-7, fontSize=12, color="#333333").encode(
        text=alt.Text("median_views:Q", format=",.0f")
    )
    return (bars + labels).properties(
        width=320, height=260, title=_title(f"Median views by {name.lower()}")
    )


def query_view_share(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Total views per claim status and its share of all views."""
    sql = f"""
    with

    totals as (
        select
            coalesce(claim_status, '{UNLABELED}') as claim_status,
            cast(sum(video_view_count) as double) as total_views,
            count(*) as video_count
        from {VIDEOS}
        group by 1
    )

    select
        claim_status,
        total_views,
        video_count,
        total_views / sum(total_views) over () as share_of_views
    from totals
    where total_views > 0
    order by 1
    """
    return query(con, sql)


def view_share_chart(shares: pd.DataFrame) -> alt.LayerChart:
    """A donut of each claim status's share of all views, the share written on each slice."""
    order = [key for key in CLAIM_COLORS if key in set(shares["claim_status"])]
    shares = shares.assign(
        order=shares["claim_status"].map({key: i for i, key in enumerate(order)}),
        label=shares["claim_status"] + ": " + shares["share_of_views"].map("{:.1%}".format),
    )
    base = alt.Chart(shares).encode(
        theta=alt.Theta("total_views:Q", stack=True),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("claim_status:N", title="Claim status"),
            alt.Tooltip("total_views:Q", title="Total views", format=",.0f"),
            alt.Tooltip("share_of_views:Q", title="Share of all views", format=".2%"),
            alt.Tooltip("video_count:Q", title="Videos", format=","),
        ],
    )
    arcs = base.mark_arc(innerRadius=60, outerRadius=120, stroke="white").encode(
        color=alt.Color(
            "claim_status:N", scale=_scale(CLAIM_COLORS, order), title="Claim status", sort=order
        )
    )
    labels = base.mark_text(radius=150, fontSize=12, color="#222222").encode(text="label:N")
    return (arcs + labels).properties(
        width=320, height=320, title=_title("Share of all views by claim status")
    )


# --------------------------------------------------------------------------------------------
# Outliers, engagement ratios, scatter
# --------------------------------------------------------------------------------------------


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


def outlier_rule(outliers: pd.DataFrame) -> str:
    """The threshold rule in words, read back from the thresholds (not restated from dbt).

    Returns e.g. 'median + 1.5 x IQR' (with a multiplication sign) when every threshold
    equals median + k x IQR for one k.
    """
    usable = outliers[outliers["iqr"] > 0]
    for base, name in (("median", "median"), ("q3", "Q3")):
        multipliers = ((usable["threshold"] - usable[base]) / usable["iqr"]).round(9).unique()
        if len(multipliers) == 1:
            return f"{name} + {multipliers[0]:g} {TIMES} IQR"
    return "the warehouse's outlier threshold"


def outlier_chart(outliers: pd.DataFrame, rule: str) -> alt.LayerChart:
    """Horizontal bars: videos above each count column's outlier threshold."""
    order = outliers.sort_values("outlier_count", ascending=False)["label"].tolist()
    max_count = float(outliers["outlier_count"].max()) if len(outliers) else 1.0
    frame = outliers.assign(
        text=outliers.apply(
            lambda row: (
                f"{row.outlier_count:,} ({row.outlier_share:.1%}) above {row.threshold:,.0f}"
            ),
            axis=1,
        )
    )
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=order, title=None),
        x=alt.X(
            "outlier_count:Q",
            title="Outlier videos (count)",
            axis=alt.Axis(format=COUNT_AXIS, tickCount=5),
            scale=alt.Scale(domain=[0, max_count * 1.7]),
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Count column"),
            alt.Tooltip("outlier_count:Q", title="Outliers", format=","),
            alt.Tooltip("outlier_share:Q", title="Share of videos with the count", format=".1%"),
            alt.Tooltip("threshold:Q", title="Threshold", format=",.1f"),
            alt.Tooltip("median:Q", title="Median", format=",.1f"),
            alt.Tooltip("q1:Q", title="Q1", format=",.1f"),
            alt.Tooltip("q3:Q", title="Q3", format=",.1f"),
            alt.Tooltip("iqr:Q", title="IQR", format=",.1f"),
        ],
    )
    bars = base.mark_bar(color=ACCENT, height={"band": 0.7})
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#222222").encode(text="text:N")
    return (bars + labels).properties(
        width=420,
        height=36 * max(len(frame), 1),
        title=_title(
            "Outliers per count column",
            f"A video is an outlier when its count is above {rule} (threshold after each bar)",
        ),
    )


def query_engagement_ratios(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Mean and median per-view rates by (claim status, author ban status), labeled videos only.

    Read from `marts.engagement_by_status`, reshaped long: one row per group and rate.
    """
    parts = " union all ".join(
        f"""
        select
            claim_status,
            author_ban_status,
            video_count,
            '{ratio}' as ratio,
            mean_{ratio} as mean_value,
            median_{ratio} as median_value
        from {ENGAGEMENT}
        where is_labeled
        """
        for ratio in RATIO_LABELS
    )
    frame = query(con, f"select * from ({parts}) order by 1, 2, 4")
    frame["ratio_label"] = frame["ratio"].map(RATIO_LABELS)
    return frame


def engagement_ratio_chart(ratios: pd.DataFrame) -> alt.HConcatChart:
    """Mean per-view rates: one panel per rate, ban status on x, claim status side by side."""
    claim_order = [key for key in CLAIM_COLORS if key in set(ratios["claim_status"])]
    ban_order = [key for key in BAN_COLORS if key in set(ratios["author_ban_status"])]
    panels = []
    for ratio, label in RATIO_LABELS.items():
        data = ratios[ratios["ratio"] == ratio]
        panel = (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=alt.X(
                    "author_ban_status:N",
                    sort=ban_order,
                    title="Author ban status",
                    axis=alt.Axis(labelAngle=0),
                ),
                xOffset=alt.XOffset("claim_status:N", sort=claim_order),
                y=alt.Y(
                    "mean_value:Q",
                    title=f"Mean {label.lower()} (% of views)",
                    axis=alt.Axis(format=RATE_AXIS),
                ),
                color=alt.Color(
                    "claim_status:N",
                    scale=_scale(CLAIM_COLORS, claim_order),
                    title="Claim status",
                    legend=alt.Legend(orient="top"),
                ),
                tooltip=[
                    alt.Tooltip("claim_status:N", title="Claim status"),
                    alt.Tooltip("author_ban_status:N", title="Author ban status"),
                    alt.Tooltip("mean_value:Q", title=f"Mean {label.lower()}", format=".3%"),
                    alt.Tooltip("median_value:Q", title=f"Median {label.lower()}", format=".3%"),
                    alt.Tooltip("video_count:Q", title="Videos", format=","),
                ],
            )
            .properties(width=230, height=220, title=_title(label))
        )
        panels.append(panel)
    return alt.hconcat(*panels, spacing=24).properties(
        title=_title(
            "Engagement per view by claim status and author ban status",
            "Mean of each video's count divided by its views; labeled videos",
        )
    )


def query_scatter_sample(
    con: duckdb.DuckDBPyConnection, opinions_only: bool = False, rows: int = SCATTER_SAMPLE_ROWS
) -> tuple[pd.DataFrame, int]:
    """A deterministic sample of at most `rows` labeled videos with views and likes.

    The sample is the `rows` videos with the smallest `hash(video_id)`: the same videos on every
    run and engine thread count, drawn without bias towards any column. Returns the sample and
    the number of videos it was drawn from.
    """
    where = "claim_status is not null and video_view_count is not null"
    where += " and video_like_count is not null"
    if opinions_only:
        where += " and claim_status = 'opinion'"
    population = con.execute(f"select count(*) from {VIDEOS} where {where}").fetchone()
    sample = query(
        con,
        f"""
        select
            claim_status,
            video_view_count,
            video_like_count
        from {VIDEOS}
        where {where}
        order by hash(video_id), video_id
        limit {int(rows)}
        """,
    )
    return sample, int(population[0]) if population else 0


def scatter_chart(sample: pd.DataFrame, population: int, opinions_only: bool) -> alt.Chart:
    """Views against likes, coloured by claim status, from a deterministic sample."""
    order = [key for key in CLAIM_COLORS if key in set(sample["claim_status"])]
    shown = len(sample)
    note = (
        f"All {population:,} videos"
        if shown >= population
        else f"A deterministic sample of {shown:,} of {population:,} videos"
    )
    title = "Views and likes, opinions only" if opinions_only else "Views and likes by claim status"
    return (
        alt.Chart(sample)
        .mark_circle(size=14, opacity=0.55)
        .encode(
            x=alt.X(
                "video_view_count:Q",
                title="Views (views per video)",
                axis=alt.Axis(format=COUNT_AXIS),
            ),
            y=alt.Y(
                "video_like_count:Q",
                title="Likes (likes per video)",
                axis=alt.Axis(format=COUNT_AXIS),
            ),
            color=alt.Color(
                "claim_status:N", scale=_scale(CLAIM_COLORS, order), title="Claim status"
            ),
            tooltip=[
                alt.Tooltip("claim_status:N", title="Claim status"),
                alt.Tooltip("video_view_count:Q", title="Views", format=","),
                alt.Tooltip("video_like_count:Q", title="Likes", format=","),
            ],
        )
        .properties(width=400, height=300, title=_title(title, note))
    )


# --------------------------------------------------------------------------------------------
# The interactive overview dashboard
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardData:
    """The small tables behind the overview dashboard (tens to hundreds of rows)."""

    cells: pd.DataFrame
    """One row per (claim status, verified status, author ban status): videos and views."""
    views_histogram: pd.DataFrame
    """Videos per (view-count bin, claim status, author ban status)."""
    views_binning: Binning
    """How the view counts are binned."""
    ratios: pd.DataFrame
    """Per (claim status, author ban status, rate): sum and count of the per-view rates."""


def query_dashboard(con: duckdb.DuckDBPyConnection, views: Binning) -> DashboardData:
    """Aggregates that the dashboard re-aggregates in the browser under any selection."""
    cells = query(
        con,
        f"""
        select
            coalesce(claim_status, '{UNLABELED}') as claim_status,
            verified_status,
            author_ban_status,
            count(*) as video_count,
            coalesce(cast(sum(video_view_count) as double), 0) as total_views
        from {VIDEOS}
        group by 1, 2, 3
        order by 1, 2, 3
        """,
    )
    histogram = query_histograms(con, {"video_view_count": views}, by_ban_status=True)
    ratio_parts = " union all ".join(
        f"""
        select
            coalesce(claim_status, '{UNLABELED}') as claim_status,
            author_ban_status,
            '{RATIO_LABELS[ratio]}' as ratio,
            sum({ratio}) as ratio_sum,
            count({ratio}) as ratio_count
        from {VIDEOS}
        group by 1, 2
        """
        for ratio in RATIO_LABELS
    )
    ratios = query(con, f"select * from ({ratio_parts}) where ratio_count > 0 order by 1, 2, 3")
    return DashboardData(cells=cells, views_histogram=histogram, views_binning=views, ratios=ratios)


def _picking_bars(
    cells: alt.Chart,
    field: str,
    title: str,
    order: list[str],
    scale: alt.Scale,
    pick: alt.Parameter,
) -> alt.Chart:
    """Videos per value of `field`; a click on a bar selects it (`pick`). The dashboard's two
    filtering panels, `dashboard_claim_status` and `dashboard_ban_status`."""
    return (
        cells.mark_bar(cursor="pointer")
        .encode(
            x=alt.X(f"{field}:N", sort=order, title=title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(video_count):Q", title="Videos", axis=alt.Axis(format=COUNT_AXIS)),
            color=alt.Color(f"{field}:N", scale=scale, title=title, legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
            tooltip=[
                alt.Tooltip(f"{field}:N", title=title),
                alt.Tooltip("sum(video_count):Q", title="Videos", format=","),
                alt.Tooltip("sum(total_views):Q", title="Total views", format=",.0f"),
            ],
        )
        .add_params(pick)
        .properties(
            width=250,
            height=220,
            name=f"dashboard_{field.removeprefix('author_')}",
            title=_title(title, "click to filter"),
        )
    )


def dashboard_chart(data: DashboardData) -> alt.VConcatChart:
    """Cross-filtering overview: click a claim status or ban status bar to filter the others.

    Two point selections (`claim_pick`, `ban_pick`; shift-click adds, double-click clears) filter
    every other panel; each panel re-aggregates the small tables in the browser, so the numbers
    stay exact: counts and sums add up, and mean rates are sums divided by counts.
    """
    claim_pick = alt.selection_point(name="claim_pick", fields=["claim_status"])
    ban_pick = alt.selection_point(name="ban_pick", fields=["author_ban_status"])
    claim_order = [key for key in CLAIM_COLORS if key in set(data.cells["claim_status"])]
    ban_order = [key for key in BAN_COLORS if key in set(data.cells["author_ban_status"])]
    verified_order = [key for key in VERIFIED_COLORS if key in set(data.cells["verified_status"])]
    claim_scale = _scale(CLAIM_COLORS, claim_order)

    cells = alt.Chart(data.cells)
    kpis = (
        cells.transform_filter(claim_pick)
        .transform_filter(ban_pick)
        .transform_aggregate(videos="sum(video_count)", views="sum(total_views)")
        .transform_calculate(
            line="'Selected: ' + format(datum.videos, ',') + ' videos · '"
            " + format(datum.views, ',.0f') + ' views'"
        )
        .mark_text(align="left", fontSize=16, fontWeight="bold", color="#222222")
        .encode(x=alt.value(0), y=alt.value(12), text="line:N")
        .properties(width=900, height=24, name="dashboard_kpis")
    )

    claim_bars = _picking_bars(
        cells.transform_filter(ban_pick),
        "claim_status",
        "Claim status",
        claim_order,
        claim_scale,
        claim_pick,
    )
    ban_bars = _picking_bars(
        cells.transform_filter(claim_pick),
        "author_ban_status",
        "Author ban status",
        ban_order,
        _scale(BAN_COLORS, ban_order),
        ban_pick,
    )
    verified_bars = (
        cells.transform_filter(claim_pick)
        .transform_filter(ban_pick)
        .mark_bar()
        .encode(
            x=alt.X(
                "verified_status:N",
                sort=verified_order,
                title="Verified status",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("sum(video_count):Q", title="Videos", axis=alt.Axis(format=COUNT_AXIS)),
            color=alt.Color(
                "verified_status:N", scale=_scale(VERIFIED_COLORS, verified_order), legend=None
            ),
            tooltip=[
                alt.Tooltip("verified_status:N", title="Verified status"),
                alt.Tooltip("sum(video_count):Q", title="Videos", format=","),
            ],
        )
        .properties(width=250, height=220, title=_title("Verified status", "of the selection"))
    )

    histogram = data.views_histogram
    views_hist = (
        alt.Chart(histogram)
        .transform_filter(claim_pick)
        .transform_filter(ban_pick)
        .mark_bar(stroke="white", strokeWidth=0.3)
        .encode(
            x=measure_x(
                "video_view_count",
                data.views_binning,
                float(histogram["bin_end"].max()) if len(histogram) else 1.0,
            ),
            x2="bin_end:Q",
            y=alt.Y(
                "sum(video_count):Q", title="Videos", stack="zero", axis=alt.Axis(format=COUNT_AXIS)
            ),
            color=alt.Color("claim_status:N", scale=claim_scale, title="Claim status"),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="Views from", format=","),
                alt.Tooltip("bin_end:Q", title="to (excluded)", format=","),
                alt.Tooltip("claim_status:N", title="Claim status"),
                alt.Tooltip("sum(video_count):Q", title="Videos", format=","),
            ],
        )
        .properties(width=420, height=220, title=_title("View counts", "of the selection"))
    )
    ratio_bars = (
        alt.Chart(data.ratios)
        .transform_filter(claim_pick)
        .transform_filter(ban_pick)
        .transform_aggregate(
            ratio_sum="sum(ratio_sum)",
            ratio_count="sum(ratio_count)",
            groupby=["claim_status", "ratio"],
        )
        .transform_calculate(mean_rate="datum.ratio_sum / datum.ratio_count")
        .mark_bar()
        .encode(
            x=alt.X(
                "ratio:N", title=None, sort=list(RATIO_LABELS.values()), axis=alt.Axis(labelAngle=0)
            ),
            xOffset=alt.XOffset("claim_status:N", sort=claim_order),
            y=alt.Y(
                "mean_rate:Q", title="Mean per view (% of views)", axis=alt.Axis(format=RATE_AXIS)
            ),
            color=alt.Color("claim_status:N", scale=claim_scale, title="Claim status"),
            tooltip=[
                alt.Tooltip("claim_status:N", title="Claim status"),
                alt.Tooltip("ratio:N", title="Rate"),
                alt.Tooltip("mean_rate:Q", title="Mean", format=".3%"),
                alt.Tooltip("ratio_count:Q", title="Videos", format=","),
            ],
        )
        .properties(width=420, height=220, title=_title("Engagement per view", "of the selection"))
    )
    return alt.vconcat(
        kpis,
        alt.hconcat(claim_bars, ban_bars, verified_bars, spacing=30).resolve_scale(
            color="independent"
        ),
        alt.hconcat(views_hist, ratio_bars, spacing=40).resolve_scale(color="shared"),
        spacing=18,
    ).resolve_scale(color="independent")


# --------------------------------------------------------------------------------------------
# The classifier and the statistics (the `ml` tables)
# --------------------------------------------------------------------------------------------

PREDICTIONS = "ml.claim_predictions"
MODEL_RUNS = "ml.model_runs"
HYPOTHESIS_TESTS = "ml.hypothesis_tests"
SCORE_DRIFT = "ml.score_drift"
SCORING_RUNS = "ml.scoring_runs"
REGRESSION_COEFFICIENTS = "ml.verified_regression_coefficients"
REGRESSION_METRICS = "ml.verified_regression_metrics"
CURVE_POINTS = 200
THRESHOLD_STEP = 0.0001
CALIBRATION_BINS = 10


def labeled_predictions_sql(split: str | None) -> str:
    """A CTE body: the scored predictions of labeled videos (of one split), with the label."""
    split_filter = f"and predictions.split = '{split}'" if split else ""
    if split and split not in {"train", "validation", "test"}:
        raise ValueError(f"unknown split {split!r}")
    return f"""
        select
            predictions.split,
            predictions.review_priority,
            predictions.claim_probability,
            predictions.predicted_is_claim,
            videos.is_claim
        from {PREDICTIONS} as predictions
        inner join {VIDEOS} as videos
            on predictions.video_id = videos.video_id
        where videos.is_labeled
            and predictions.claim_probability is not null
            {split_filter}
    """


def query_confusion_cells(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Videos per (split, actual, predicted) for validation and test, zero cells included.

    Recomputed from `ml.claim_predictions` joined to the labels in `marts.videos`.
    """
    sql = f"""
    with

    labeled as ({labeled_predictions_sql(None)}),

    cells as (
        select
            split,
            case when is_claim then 'claim' else 'opinion' end as actual,
            case when predicted_is_claim then 'claim' else 'opinion' end as predicted,
            count(*) as videos
        from labeled
        where split in ('validation', 'test')
        group by 1, 2, 3
    ),

    every_cell as (
        select *
        from (values ('validation'), ('test')) as splits (split)
        cross join (values ('claim'), ('opinion')) as actuals (actual)
        cross join (values ('claim'), ('opinion')) as predictions (predicted)
    )

    select
        every_cell.split,
        every_cell.actual,
        every_cell.predicted,
        coalesce(cells.videos, 0) as videos
    from every_cell
    left join cells
        on every_cell.split = cells.split
        and every_cell.actual = cells.actual
        and every_cell.predicted = cells.predicted
    order by 1 desc, 2, 3
    """
    return query(con, sql)


def query_precision_recall(con: duckdb.DuckDBPyConnection, split: str = "test") -> pd.DataFrame:
    """Precision and recall at every probability threshold (in steps of `THRESHOLD_STEP`).

    DuckDB counts claims and videos per rounded probability, then accumulates from the top;
    the curve is thinned to about `CURVE_POINTS` points, keeping both ends.
    """
    sql = f"""
    with

    labeled as ({labeled_predictions_sql(split)}),

    per_threshold as (
        select
            round(claim_probability / {THRESHOLD_STEP}) * {THRESHOLD_STEP} as threshold,
            count(*) as videos,
            count_if(is_claim) as claims
        from labeled
        group by 1
    ),

    cumulative as (
        select
            threshold,
            sum(videos) over (order by threshold desc) as flagged,
            sum(claims) over (order by threshold desc) as caught,
            sum(claims) over () as all_claims,
            row_number() over (order by threshold desc) as position,
            count(*) over () as thresholds
        from per_threshold
    )

    select
        threshold,
        cast(caught as double) / flagged as precision,
        cast(caught as double) / nullif(all_claims, 0) as recall,
        flagged,
        caught
    from cumulative
    where position = 1
        or position = thresholds
        or position % greatest(1, thresholds // {CURVE_POINTS}) = 0
    order by threshold desc
    """
    return query(con, sql)


def query_calibration(con: duckdb.DuckDBPyConnection, split: str = "test") -> pd.DataFrame:
    """Observed share of claims per tenth of predicted probability (as `ml.evaluate` bins)."""
    sql = f"""
    with

    labeled as ({labeled_predictions_sql(split)}),

    binned as (
        select
            least(
                greatest(cast(ceil(claim_probability * {CALIBRATION_BINS}) as integer) - 1, 0),
                {CALIBRATION_BINS - 1}
            ) as bin,
            claim_probability,
            is_claim
        from labeled
    )

    select
        bin,
        avg(claim_probability) as mean_predicted,
        avg(cast(is_claim as double)) as observed_share,
        count(*) as videos
    from binned
    group by 1
    order by 1
    """
    return query(con, sql)


CAPTURE_ORDERS = {
    "expected harm (the queue)": "review_priority",
    "probability only": "claim_probability desc, video_id",
}
CAPTURE_COLORS = {"expected harm (the queue)": ACCENT, "probability only": "#E69F00"}
CAPTURE_MEASURES = {"claims found": "claims_share", "claims' views found": "views_share"}


def query_capture_curve(con: duckdb.DuckDBPyConnection, split: str = "test") -> pd.DataFrame:
    """Share of the split's claims, and of their views, found after reviewing each percent of
    the split's videos in each order of `CAPTURE_ORDERS`.

    The queue (`review_priority`) weighs P(claim) by reach; "probability only" sorts by
    `claim_probability`. One row per order and percent reviewed (0 to 100); a claim without
    counts adds no views.
    """
    if split not in {"train", "validation", "test"}:
        raise ValueError(f"unknown split {split!r}")
    ranked = " union all ".join(
        f"""
        select
            '{name}' as ordering,
            is_claim,
            views,
            row_number() over (order by {order}) as position,
            count(*) over () as queue_videos
        from labeled"""
        for name, order in CAPTURE_ORDERS.items()
    )
    sql = f"""
    with

    labeled as (
        select
            predictions.video_id,
            predictions.review_priority,
            predictions.claim_probability,
            videos.is_claim,
            coalesce(cast(videos.video_view_count as double), 0) as views
        from {PREDICTIONS} as predictions
        inner join {VIDEOS} as videos
            on predictions.video_id = videos.video_id
        where videos.is_labeled
            and predictions.claim_probability is not null
            and predictions.split = '{split}'
    ),

    ranked as ({ranked}),

    per_percent as (
        select
            ordering,
            cast(ceil(100.0 * position / queue_videos) as integer) as percent_reviewed,
            max(position) as reviewed,
            count_if(is_claim) as claims,
            sum(case when is_claim then views else 0 end) as claim_views
        from ranked
        group by 1, 2
    ),

    cumulative as (
        select
            ordering,
            percent_reviewed,
            reviewed,
            sum(claims) over (partition by ordering order by percent_reviewed) as caught,
            sum(claims) over (partition by ordering) as all_claims,
            sum(claim_views) over (partition by ordering order by percent_reviewed)
                as caught_views,
            sum(claim_views) over (partition by ordering) as all_claim_views
        from per_percent
    )

    select
        ordering,
        0 as percent_reviewed,
        0 as reviewed,
        0 as caught,
        0.0 as caught_share,
        0.0 as caught_views,
        0.0 as caught_views_share
    from (select distinct ordering from ranked)
    union all
    select
        ordering,
        percent_reviewed,
        reviewed,
        caught,
        cast(caught as double) / nullif(all_claims, 0) as caught_share,
        caught_views,
        caught_views / nullif(all_claim_views, 0) as caught_views_share
    from cumulative
    order by 1 desc, 2
    """
    return query(con, sql)


def capture_chart(curve: pd.DataFrame, claims: int, videos: int) -> alt.LayerChart:
    """Share of claims (solid) and of their views (dashed) found against share of the queue
    reviewed, in the queue's expected-harm order and by probability only, with a random line."""
    frame = curve.assign(reviewed_share=curve["percent_reviewed"] / 100.0)
    long = pd.concat(
        [
            frame.assign(measure="claims found", found_share=frame["caught_share"]),
            frame.assign(measure="claims' views found", found_share=frame["caught_views_share"]),
        ],
        ignore_index=True,
    )
    reference = pd.DataFrame({"reviewed_share": [0.0, 1.0], "found_share": [0.0, 1.0]})
    x = alt.X(
        "reviewed_share:Q",
        title="Share of the test queue reviewed (% of videos)",
        axis=alt.Axis(format=RATE_AXIS),
        scale=alt.Scale(domain=[0, 1]),
    )
    y = alt.Y(
        "found_share:Q",
        title="Found (% of the split's claims or of their views)",
        axis=alt.Axis(format=RATE_AXIS),
        scale=alt.Scale(domain=[0, 1]),
    )
    random_line = (
        alt.Chart(reference)
        .mark_line(strokeDash=[2, 3], strokeWidth=1, color="#999999")
        .encode(x=x, y=y)
    )
    orders = list(CAPTURE_ORDERS)
    model = (
        alt.Chart(long)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "ordering:N",
                title="Order",
                scale=_scale(CAPTURE_COLORS, orders),
                sort=orders,
            ),
            strokeDash=alt.StrokeDash(
                "measure:N",
                title="Found",
                scale=alt.Scale(domain=list(CAPTURE_MEASURES), range=[[1, 0], [6, 3]]),
            ),
            tooltip=[
                alt.Tooltip("ordering:N", title="Order"),
                alt.Tooltip("percent_reviewed:Q", title="% of queue reviewed"),
                alt.Tooltip("reviewed:Q", title="Videos reviewed", format=","),
                alt.Tooltip("caught:Q", title="Claims found", format=","),
                alt.Tooltip("caught_share:Q", title="Share of claims found", format=".2%"),
                alt.Tooltip(
                    "caught_views_share:Q", title="Share of claims' views found", format=".2%"
                ),
            ],
        )
    )
    return alt.layer(random_line, model).properties(
        width=420,
        height=300,
        title=_title(
            "Claims found by reviewing the queue: expected harm against probability only",
            f"Test split: {videos:,} videos, {claims:,} claims; grey dots: a random order",
        ),
    )


def query_group_means(con: duckdb.DuckDBPyConnection, confidence: float = 0.95) -> pd.DataFrame:
    """Mean views per verified status with a t-based confidence interval.

    DuckDB gives each group's count, mean and standard deviation; the interval is
    mean +/- t(1 - alpha/2, n - 1) x sd / sqrt(n).
    """
    from scipy.special import stdtrit  # the t quantile; lighter to import than scipy.stats

    frame = query(
        con,
        f"""
        select
            verified_status,
            count(video_view_count) as videos,
            avg(video_view_count) as mean_views,
            stddev_samp(video_view_count) as sd_views
        from {VIDEOS}
        where video_view_count is not null
        group by 1
        order by 1 desc
        """,
    )
    standard_error = frame["sd_views"] / frame["videos"].pow(0.5)
    critical = stdtrit((frame["videos"] - 1).clip(lower=1), 0.5 + confidence / 2)
    frame["ci_low"] = frame["mean_views"] - critical * standard_error
    frame["ci_high"] = frame["mean_views"] + critical * standard_error
    frame["confidence"] = confidence
    return frame


def group_means_chart(means: pd.DataFrame, subtitle: str) -> alt.LayerChart:
    """Each verified status's mean views as a dot with its confidence interval as a bar."""
    order = [key for key in VERIFIED_COLORS if key in set(means["verified_status"])]
    level = f"{means['confidence'].iloc[0]:.0%}" if len(means) else "95%"
    base = alt.Chart(means).encode(
        y=alt.Y("verified_status:N", sort=order, title="Verified status"),
        tooltip=[
            alt.Tooltip("verified_status:N", title="Verified status"),
            alt.Tooltip("videos:Q", title="Videos", format=","),
            alt.Tooltip("mean_views:Q", title="Mean views", format=",.0f"),
            alt.Tooltip("ci_low:Q", title=f"{level} CI from", format=",.0f"),
            alt.Tooltip("ci_high:Q", title=f"{level} CI to", format=",.0f"),
        ],
    )
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X(
            "ci_low:Q",
            title="Mean views (views per video)",
            axis=alt.Axis(format=COUNT_AXIS, tickCount=6),
            scale=alt.Scale(zero=True),
        ),
        x2="ci_high:Q",
        color=alt.Color("verified_status:N", scale=_scale(VERIFIED_COLORS, order), legend=None),
    )
    caps = base.mark_tick(thickness=2, size=16).encode(
        x="ci_low:Q",
        color=alt.Color("verified_status:N", scale=_scale(VERIFIED_COLORS, order), legend=None),
    ) + base.mark_tick(thickness=2, size=16).encode(
        x="ci_high:Q",
        color=alt.Color("verified_status:N", scale=_scale(VERIFIED_COLORS, order), legend=None),
    )
    dots = base.mark_point(filled=True, size=90, color="#1d2433").encode(x="mean_views:Q")
    labels = base.mark_text(dy=-16, fontSize=12, color="#1d2433").encode(
        x="mean_views:Q", text=alt.Text("mean_views:Q", format=",.0f")
    )
    return alt.layer(interval, caps, dots, labels).properties(
        width=460,
        height=150,
        title=_title(f"Mean views by verified status, with {level} confidence intervals", subtitle),
    )


def query_regression(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The regression's odds ratios (intercept excluded) and its held-out metrics."""
    coefficients = query(
        con,
        f"""
        select term, unit, coefficient, odds_ratio
        from {REGRESSION_COEFFICIENTS}
        where term <> 'intercept'
        order by odds_ratio
        """,
    )
    metrics = query(
        con,
        f"""
        select class_label, precision, recall, f1, support, accuracy
        from {REGRESSION_METRICS}
        order by class_label desc
        """,
    )
    return coefficients, metrics


REGRESSION_TERMS = {
    "duration_sec": "Duration (per second)",
    "is_claim": "Claim (vs opinion)",
    "ban_under_review": "Author under review (vs active)",
    "ban_banned": "Author banned (vs active)",
    "views_per_100k": "Views (per 100,000)",
}


def odds_ratio_chart(coefficients: pd.DataFrame) -> alt.LayerChart:
    """Odds ratios of a verified account per predictor, on a log scale around 1."""
    frame = coefficients.assign(
        label=coefficients["term"]
        .map(REGRESSION_TERMS)
        .fillna(coefficients["term"] + " (" + coefficients["unit"] + ")"),
        direction=(coefficients["odds_ratio"] >= 1).map(
            {True: "raises the odds", False: "lowers the odds"}
        ),
    )
    low = float(min(frame["odds_ratio"].min(), 1.0)) if len(frame) else 0.5
    high = float(max(frame["odds_ratio"].max(), 1.0)) if len(frame) else 2.0
    scale = alt.Scale(type="log", domain=[low / 3, high * 3])
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "label:N",
            sort=alt.EncodingSortField("odds_ratio"),
            title=None,
            axis=alt.Axis(labelLimit=260),
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Predictor"),
            alt.Tooltip("odds_ratio:Q", title="Odds ratio", format=".4f"),
            alt.Tooltip("coefficient:Q", title="Coefficient (log odds)", format=".4f"),
        ],
    )
    stems = base.mark_rule(strokeWidth=2, color="#8a93a6").encode(
        x=alt.X("odds_ratio:Q", scale=scale, title="Odds ratio of a verified account (log scale)"),
        x2=alt.datum(1),
    )
    dots = base.mark_point(filled=True, size=100).encode(
        x="odds_ratio:Q",
        color=alt.Color(
            "direction:N",
            title="Effect",
            scale=alt.Scale(
                domain=["raises the odds", "lowers the odds"], range=["#009E73", "#D55E00"]
            ),
        ),
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#1d2433").encode(x="x:Q")
    # Each label sits on the far side of its dot from the line at 1, clear of the stem.
    text = alt.Text("odds_ratio:Q", format=".3f")
    labels_low = (
        base.transform_filter(alt.datum.odds_ratio < 1)
        .mark_text(align="right", dx=-9, fontSize=11, color="#333333")
        .encode(x="odds_ratio:Q", text=text)
    )
    labels_high = (
        base.transform_filter(alt.datum.odds_ratio >= 1)
        .mark_text(align="left", dx=9, fontSize=11, color="#333333")
        .encode(x="odds_ratio:Q", text=text)
    )
    return alt.layer(one, stems, dots, labels_low, labels_high).properties(
        width=420,
        height=40 * max(len(frame), 1),
        title=_title(
            "What goes with a verified account: logistic regression",
            "Odds ratios; 1 = no effect. Likes are left out (they move with views)",
        ),
    )
