"""The distributions page: a box plot over a histogram per measure, and the outliers.

Each chart function takes frames shaped by `report.data` and returns one chart.
"""

from __future__ import annotations

import html
import math

import altair as alt
import duckdb
import pandas as pd

from report import data
from report.facts import Facts
from report.figures import Figure, Page, Section, clean_table
from report.theme import (
    ACCENT,
    ALL_VIDEOS,
    CLAIM_COLORS,
    COUNT_AXIS,
    GROUP_COLORS,
    chart_title,
    color_scale,
    measure_axis_title,
    measure_label,
)


def measure_axis(
    measure: str, binning: data.Binning, x_max: float, title: str | None = None
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


def measure_x(measure: str, binning: data.Binning, x_max: float, title: str | None = None) -> alt.X:
    """The histogram's x encoding (`bin_start`) on the measure's scale and axis."""
    scale, axis = measure_axis(measure, binning, x_max, title)
    return alt.X("bin_start:Q", scale=scale, axis=axis)


def box_hist_chart(
    measure: str,
    stats: pd.DataFrame,
    histogram: pd.DataFrame,
    binning: data.Binning,
    rule: str,
    width: int = 520,
) -> alt.VConcatChart:
    """A box plot per group (all videos, claim, opinion) above a stacked histogram.

    Both share the x scale (linear for duration, log for the counts), so a box lines up with
    the bars below it. The whiskers are the table's: from the minimum to the largest value
    within the outlier `rule`.
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
    color = alt.Color("group_name:N", scale=color_scale(GROUP_COLORS, groups), legend=None)
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
        title=chart_title(
            f"{label}: distribution",
            "Box: quartiles and median · whiskers: minimum to the last value within "
            f"{rule} · diamond: maximum",
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
                scale=color_scale(CLAIM_COLORS, present),
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
        title=chart_title(
            "Outliers per count column",
            f"A video is an outlier when its count is above {rule} (threshold after each bar)",
        ),
    )


def distributions_page(con: duckdb.DuckDBPyConnection, facts: Facts) -> Page:
    """The page."""
    names = data.measures(con)
    stats = data.query_distribution_stats(con)
    widths = data.binnings(con)
    histograms = data.query_histograms(con)
    outliers = data.query_outliers(con)
    rule = facts.value("outlier_rule")

    distribution_figures = []
    for measure in names:
        label = measure_label(measure)
        table = stats[stats["measure"] == measure]
        distribution_figures.append(
            Figure(
                key=f"distribution_{measure}",
                chart=box_hist_chart(measure, stats, histograms, widths[measure], rule),
                caption=(
                    f"{label}: box plots for all videos and per claim status (quartiles "
                    "computed exactly in DuckDB), above a histogram coloured by claim status "
                    f"(bins of {widths[measure].describe(measure)})."
                ),
                table=clean_table(
                    table,
                    {
                        "group_name": "group",
                        "video_count": "videos",
                        "min_value": "min",
                        "q1": "Q1",
                        "median": "median",
                        "q3": "Q3",
                        "max_value": "max",
                        "above_whisker": "beyond upper whisker",
                    },
                ),
                relations=(data.DISTRIBUTION_STATS, data.HISTOGRAMS, data.HISTOGRAM_BINNINGS),
            )
        )
    outlier_figure = Figure(
        key="outliers",
        chart=outlier_chart(outliers, rule),
        caption=(
            f"Videos whose count is above {rule}, per count column, from "
            "<code>reporting.rpt_outliers</code>."
        ),
        table=clean_table(
            outliers,
            {
                "label": "count",
                "median": "median",
                "q1": "Q1",
                "q3": "Q3",
                "iqr": "IQR",
                "threshold": "threshold",
                "outlier_count": "outliers",
            },
        ),
        relations=(data.OUTLIERS,),
    )
    return Page(
        slug="distributions",
        nav_title="Distributions",
        title="How duration and engagement are distributed",
        lead=(
            "<p class='lead'>Every video's duration is between 5 and 60 seconds and spread evenly; "
            "the engagement counts are heavily right-skewed, with claims far above opinions.</p>"
        ),
        sections=[
            Section(
                "Box plots and histograms",
                "<p class='prose'>One figure per measure. Hover for exact quartiles and counts; "
                "open <em>Data behind this chart</em> for the numbers as a table.</p>",
                distribution_figures,
            ),
            Section(
                "Outliers",
                f"<p class='prose'>A count is an outlier when it is above {html.escape(rule)} of "
                f"its column. {facts.html('videos_any_outlier')} videos "
                f"({facts.html('any_outlier_share')}) are outliers in at least one count. "
                "They are kept: extreme engagement is how viral videos look, not a recording "
                "error.</p>",
                [outlier_figure],
            ),
        ],
    )
