"""The model page's charts: the review queue's capture curve, the group means with their
confidence intervals, the regression's odds ratios. The confusion matrix, precision-recall,
calibration and importance charts are `ml.charts`' (the training run draws them too).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.theme import (
    ACCENT,
    COUNT_AXIS,
    RATE_AXIS,
    VERIFIED_COLORS,
    chart_title,
    color_scale,
)

CAPTURE_ORDERS = {
    "expected harm (the queue)": "review_priority",
    "probability only": "claim_probability desc, video_id",
}


CAPTURE_COLORS = {"expected harm (the queue)": ACCENT, "probability only": "#E69F00"}


CAPTURE_MEASURES = {"claims found": "claims_share", "claims' views found": "views_share"}


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
                scale=color_scale(CAPTURE_COLORS, orders),
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
        title=chart_title(
            "Claims found by reviewing the queue: expected harm against probability only",
            f"Test split: {videos:,} videos, {claims:,} claims; grey dots: a random order",
        ),
    )


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
        color=alt.Color(
            "verified_status:N", scale=color_scale(VERIFIED_COLORS, order), legend=None
        ),
    )
    caps = base.mark_tick(thickness=2, size=16).encode(
        x="ci_low:Q",
        color=alt.Color(
            "verified_status:N", scale=color_scale(VERIFIED_COLORS, order), legend=None
        ),
    ) + base.mark_tick(thickness=2, size=16).encode(
        x="ci_high:Q",
        color=alt.Color(
            "verified_status:N", scale=color_scale(VERIFIED_COLORS, order), legend=None
        ),
    )
    dots = base.mark_point(filled=True, size=90, color="#1d2433").encode(x="mean_views:Q")
    labels = base.mark_text(dy=-16, fontSize=12, color="#1d2433").encode(
        x="mean_views:Q", text=alt.Text("mean_views:Q", format=",.0f")
    )
    return alt.layer(interval, caps, dots, labels).properties(
        width=460,
        height=150,
        title=chart_title(
            f"Mean views by verified status, with {level} confidence intervals", subtitle
        ),
    )


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
        title=chart_title(
            "What goes with a verified account: logistic regression",
            "Odds ratios; 1 = no effect. Likes are left out (they move with views)",
        ),
    )
