"""The report's look: colours, axis formats, measure names, and the spec-wide configuration.

Okabe-Ito colours throughout (distinguishable with every common colour-vision deficiency).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

UNLABELED = "unlabeled"
ALL_VIDEOS = "all videos"
FONT = "Liberation Sans, Helvetica Neue, Arial, sans-serif"


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


def color_scale(colors: dict[str, str], domain: Sequence[str] | None = None) -> alt.Scale:
    """A fixed colour scale over `domain` (default: every key of `colors`)."""
    keys = list(domain) if domain is not None else list(colors)
    return alt.Scale(domain=keys, range=[colors.get(key, "#999999") for key in keys])


def chart_title(text: str, subtitle: str | Sequence[str] | None = None) -> alt.TitleParams:
    """A chart title anchored left, with an optional subtitle."""
    return alt.TitleParams(text=text, subtitle=subtitle or alt.Undefined, anchor="start")


# The report's look, set once at the top level of every spec (Vega-Lite `config`).
CHART_CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "labelColor": "#333333",
        "titleColor": "#1d2433",
        "gridColor": "#e6e9ef",
        "domainColor": "#8a93a6",
        "tickColor": "#8a93a6",
    },
    "title": {
        "fontSize": 16,
        "subtitleFontSize": 13,
        "subtitleColor": "#596275",
        "anchor": "start",
        "offset": 10,
    },
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "header": {"labelFontSize": 13, "titleFontSize": 13},
}
