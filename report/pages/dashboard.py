"""The interactive overview dashboard of the summary page (click a claim or ban status to
filter the other panels); its small tables come from `report.data.query_dashboard`."""

from __future__ import annotations

import altair as alt
import duckdb

from report import data
from report.figures import Figure
from report.pages.distributions import measure_x
from report.theme import (
    BAN_COLORS,
    CLAIM_COLORS,
    COUNT_AXIS,
    RATE_AXIS,
    RATIO_LABELS,
    VERIFIED_COLORS,
    chart_title,
    color_scale,
)


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
            title=chart_title(title, "click to filter"),
        )
    )


def dashboard_chart(data: data.DashboardData) -> alt.VConcatChart:
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
    claim_scale = color_scale(CLAIM_COLORS, claim_order)

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
        color_scale(BAN_COLORS, ban_order),
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
                "verified_status:N", scale=color_scale(VERIFIED_COLORS, verified_order), legend=None
            ),
            tooltip=[
                alt.Tooltip("verified_status:N", title="Verified status"),
                alt.Tooltip("sum(video_count):Q", title="Videos", format=","),
            ],
        )
        .properties(width=250, height=220, title=chart_title("Verified status", "of the selection"))
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
        .properties(width=420, height=220, title=chart_title("View counts", "of the selection"))
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
        .properties(
            width=420, height=220, title=chart_title("Engagement per view", "of the selection")
        )
    )
    return alt.vconcat(
        kpis,
        alt.hconcat(claim_bars, ban_bars, verified_bars, spacing=30).resolve_scale(
            color="independent"
        ),
        alt.hconcat(views_hist, ratio_bars, spacing=40).resolve_scale(color="shared"),
        spacing=18,
    ).resolve_scale(color="independent")


def dashboard_figure(con: duckdb.DuckDBPyConnection) -> Figure:
    """The dashboard as a figure of the summary page."""
    return Figure(
        key="overview_dashboard",
        chart=dashboard_chart(data.query_dashboard(con)),
        caption=(
            "Click a bar in <em>Claim status</em> or <em>Author ban status</em> to filter the "
            "other panels (shift-click to add, double-click an empty spot to clear). Hover for "
            "exact values. Every panel re-adds small pre-aggregated tables, so the figures stay "
            "exact."
        ),
        wide=True,
        relations=(
            data.DASHBOARD_CELLS,
            data.HISTOGRAMS_BY_BAN_STATUS,
            data.HISTOGRAM_BINNINGS,
            data.DASHBOARD_RATIOS,
        ),
    )
