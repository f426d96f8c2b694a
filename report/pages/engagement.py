"""The engagement page: claim status by account, views, share of views, per-view rates,
views against likes.

Each chart function takes frames shaped by `report.data` and returns one chart.
"""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from report import data
from report.facts import Facts
from report.figures import Figure, Page, Section, clean_table
from report.theme import (
    BAN_COLORS,
    CLAIM_COLORS,
    COUNT_AXIS,
    RATE_AXIS,
    RATIO_LABELS,
    UNLABELED,
    VERIFIED_COLORS,
    chart_title,
    color_scale,
)


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
        color=alt.Color(f"{by}:N", scale=color_scale(colors, by_order), title=name, sort=by_order)
    )
    labels = base.mark_text(dy=-6, fontSize=11, color="#333333").encode(
        text=alt.Text("video_count:Q", format=",")
    )
    return (bars + labels).properties(
        width=380,
        height=260,
        title=chart_title(
            f"Videos by claim status and {name.lower()}",
            "Unlabeled videos have no claim status" if UNLABELED in claim_order else None,
        ),
    )


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
        color=alt.Color(f"{by}:N", scale=color_scale(colors, order), legend=None)
    )
    labels = base.mark_text(dy=-7, fontSize=12, color="#333333").encode(
        text=alt.Text("median_views:Q", format=",.0f")
    )
    return (bars + labels).properties(
        width=320, height=260, title=chart_title(f"Median views by {name.lower()}")
    )


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
            "claim_status:N",
            scale=color_scale(CLAIM_COLORS, order),
            title="Claim status",
            sort=order,
        )
    )
    labels = base.mark_text(radius=150, fontSize=12, color="#222222").encode(text="label:N")
    return (arcs + labels).properties(
        width=320, height=320, title=chart_title("Share of all views by claim status")
    )


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
                    scale=color_scale(CLAIM_COLORS, claim_order),
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
            .properties(width=230, height=220, title=chart_title(label))
        )
        panels.append(panel)
    return alt.hconcat(*panels, spacing=24).properties(
        title=chart_title(
            "Engagement per view by claim status and author ban status",
            "Mean of each video's count divided by its views; labeled videos",
        )
    )


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
                "claim_status:N", scale=color_scale(CLAIM_COLORS, order), title="Claim status"
            ),
            tooltip=[
                alt.Tooltip("claim_status:N", title="Claim status"),
                alt.Tooltip("video_view_count:Q", title="Views", format=","),
                alt.Tooltip("video_like_count:Q", title="Likes", format=","),
            ],
        )
        .properties(width=400, height=300, title=chart_title(title, note))
    )


def engagement_page(con: duckdb.DuckDBPyConnection, facts: Facts) -> Page:
    """The engagement page."""
    verified = data.query_status_counts(con, "verified_status")
    banned = data.query_status_counts(con, "author_ban_status")
    medians_ban = data.query_median_views(con, "author_ban_status")
    medians_claim = data.query_median_views(con, "claim_status")
    shares = data.query_view_share(con)
    ratios = data.query_engagement_ratios(con)
    sample, population = data.query_scatter_sample(con)
    opinions, opinion_population = data.query_scatter_sample(con, opinions_only=True)
    count_formats = {"videos": ",d"}
    return Page(
        slug="engagement",
        nav_title="Engagement",
        title="Who posts claims, and how they are watched",
        lead=(
            f"<p class='lead'>Claims get {facts.html('median_views_claim_to_opinion')} times "
            "the median views of opinions, and their authors are more often banned or under "
            "review.</p>"
        ),
        sections=[
            Section(
                "Claim status by account",
                "",
                [
                    Figure(
                        "claims_by_verified",
                        status_counts_chart(verified, "verified_status"),
                        "Videos per claim status and verified status. Verified accounts post "
                        f"mostly opinions ({facts.html('verified_opinion_share')} of their "
                        "labeled videos).",
                        clean_table(
                            verified,
                            {
                                "claim_status": "claim status",
                                "verified_status": "verified status",
                                "video_count": "videos",
                            },
                        ),
                        count_formats,
                        relations=(data.STATUS_COUNTS,),
                    ),
                    Figure(
                        "claims_by_ban_status",
                        status_counts_chart(banned, "author_ban_status"),
                        f"Videos per claim status and author ban status: "
                        f"{facts.html('claims_not_active_share')} of claims but "
                        f"{facts.html('opinions_not_active_share')} of opinions come from "
                        "banned or under-review authors.",
                        clean_table(
                            banned,
                            {
                                "claim_status": "claim status",
                                "author_ban_status": "author ban status",
                                "video_count": "videos",
                            },
                        ),
                        count_formats,
                        relations=(data.STATUS_COUNTS,),
                    ),
                ],
            ),
            Section(
                "Views",
                "",
                [
                    Figure(
                        "median_views_by_ban_status",
                        median_views_chart(medians_ban, "author_ban_status"),
                        "Median views per author ban status (exact medians, videos with a view "
                        "count).",
                        clean_table(
                            medians_ban,
                            {
                                "author_ban_status": "author ban status",
                                "video_count": "videos",
                                "median_views": "median views",
                                "mean_views": "mean views",
                            },
                        ),
                        relations=(data.MEDIAN_VIEWS,),
                    ),
                    Figure(
                        "median_views_by_claim_status",
                        median_views_chart(medians_claim, "claim_status"),
                        "Median views per claim status.",
                        clean_table(
                            medians_claim,
                            {
                                "claim_status": "claim status",
                                "video_count": "videos",
                                "median_views": "median views",
                                "mean_views": "mean views",
                            },
                        ),
                        relations=(data.MEDIAN_VIEWS,),
                    ),
                    Figure(
                        "view_share_by_claim_status",
                        view_share_chart(shares),
                        f"Each claim status's share of all views: claims draw "
                        f"{facts.html('claim_share_of_views')} though they are "
                        f"{facts.html('claim_share')} of labeled videos.",
                        clean_table(
                            shares,
                            {
                                "claim_status": "claim status",
                                "video_count": "videos",
                                "total_views": "total views",
                                "share_of_views": "share of views",
                            },
                        ),
                        {"share of views": ".2%", "total views": ",.0f"},
                        relations=(data.VIEW_SHARE,),
                    ),
                ],
            ),
            Section(
                "Engagement per view",
                "<p class='prose'>Once a video is watched, engagement depends more on its claim "
                "status than on its author's ban status.</p>",
                [
                    Figure(
                        "engagement_ratios",
                        engagement_ratio_chart(ratios),
                        "Mean likes, comments and shares per view by claim status and author ban "
                        "status, from <code>reporting.rpt_engagement_ratios</code>.",
                        clean_table(
                            ratios,
                            {
                                "claim_status": "claim status",
                                "author_ban_status": "author ban status",
                                "ratio_label": "rate",
                                "mean_value": "mean",
                                "median_value": "median",
                            },
                        ),
                        {"mean": ".4%", "median": ".4%"},
                        wide=True,
                        relations=(data.ENGAGEMENT_RATIOS,),
                    )
                ],
            ),
            Section(
                "Views and likes",
                "<p class='prose'>Likes rise with views in both classes; opinions stay below "
                "10,000 views. Points are a deterministic sample (the videos with the smallest "
                "hash of their id), so the page stays small at any data size.</p>",
                [
                    Figure(
                        "views_vs_likes",
                        scatter_chart(sample, population, opinions_only=False),
                        f"Views against likes for {len(sample):,} of {population:,} labeled "
                        "videos, coloured by claim status.",
                        relations=(data.SCATTER_SAMPLE,),
                    ),
                    Figure(
                        "views_vs_likes_opinions",
                        scatter_chart(opinions, opinion_population, opinions_only=True),
                        f"Views against likes for {len(opinions):,} of "
                        f"{opinion_population:,} opinion videos.",
                        relations=(data.SCATTER_SAMPLE,),
                    ),
                ],
            ),
        ],
    )
