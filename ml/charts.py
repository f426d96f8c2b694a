"""Altair charts of the training run, each saved as PNG, plus one self-contained HTML page.

Every chart draws a small table (a few hundred rows at most) built by `ml.evaluate`. The HTML
page inlines Vega's JavaScript (vl-convert bundles it), so it opens offline; one page holds all
the charts because each inlined bundle weighs about a megabyte.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

CHART_WIDTH = 320
CHART_HEIGHT = 240
HTML_FILE = "charts.html"


def confusion_matrix_chart(cells: pd.DataFrame, title: str) -> alt.FacetChart:
    """Counts of actual x predicted class, one panel per split (columns: split, actual,
    predicted, videos)."""
    base = alt.Chart(cells).encode(
        x=alt.X("predicted:N", title="Predicted", sort=["opinion", "claim"]),
        y=alt.Y("actual:N", title="Actual", sort=["opinion", "claim"]),
    )
    squares = base.mark_rect().encode(
        color=alt.Color("videos:Q", scale=alt.Scale(scheme="blues", type="symlog"), legend=None)
    )
    labels = base.mark_text(fontSize=16).encode(text=alt.Text("videos:Q", format=","))
    return (
        alt.layer(squares, labels, data=cells)
        .properties(width=180, height=180)
        .facet(column=alt.Column("split:N", title=None, sort=["validation", "test"]))
        .properties(title=title)
    )


def precision_recall_chart(points: pd.DataFrame) -> alt.Chart:
    """Precision against recall per model (columns: model, recall, precision)."""
    return (
        alt.Chart(points)
        .mark_line(point=False, interpolate="step-after")
        .encode(
            x=alt.X("recall:Q", title="Recall", scale=alt.Scale(zero=False)),
            y=alt.Y("precision:Q", title="Precision", scale=alt.Scale(zero=False)),
            color=alt.Color("model:N", title="Model"),
            tooltip=["model:N", alt.Tooltip("recall:Q", format=".4f"), "precision:Q"],
        )
        .properties(
            width=CHART_WIDTH, height=CHART_HEIGHT, title="Precision-recall curve (validation)"
        )
    )


def importance_chart(importances: pd.DataFrame) -> alt.FacetChart:
    """Permutation importance per input column, one panel per model (columns: model, feature,
    importance, std)."""
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("importance:Q", title="Drop in PR-AUC when shuffled"),
            y=alt.Y("feature:N", title=None, sort="-x"),
            tooltip=["feature:N", alt.Tooltip("importance:Q", format=".4f"), "std:Q"],
        )
    )
    return (
        alt.layer(bars, data=importances)
        .properties(width=220, height=180)
        .facet(facet=alt.Facet("model:N", title=None), columns=2)
        .resolve_scale(x="independent", y="independent")
        .properties(title="Permutation importance on the validation split")
    )


def calibration_chart(points: pd.DataFrame) -> alt.LayerChart:
    """Observed share of claims per predicted-probability bin, per model, against the diagonal
    (columns: model, mean_predicted, observed_share, videos)."""
    diagonal = (
        alt.Chart(pd.DataFrame({"p": [0.0, 1.0]}))
        .mark_line(color="gray", strokeDash=[4, 4])
        .encode(x="p:Q", y="p:Q")
    )
    curves = (
        alt.Chart(points)
        .mark_line(point=True)
        .encode(
            x=alt.X("mean_predicted:Q", title="Mean predicted probability"),
            y=alt.Y("observed_share:Q", title="Observed share of claims"),
            color=alt.Color("model:N", title="Model"),
            tooltip=["model:N", "mean_predicted:Q", "observed_share:Q", "videos:Q"],
        )
    )
    return alt.layer(diagonal, curves).properties(
        width=CHART_WIDTH, height=CHART_HEIGHT, title="Calibration (reliability diagram)"
    )


def capture_chart(points: pd.DataFrame) -> alt.Chart:
    """Share of the claims' views caught against share of videos reviewed, per queue order
    (columns: order, reviewed_share, captured_share)."""
    return (
        alt.Chart(points)
        .mark_line()
        .encode(
            x=alt.X(
                "reviewed_share:Q", title="Share of videos reviewed", axis=alt.Axis(format="%")
            ),
            y=alt.Y(
                "captured_share:Q", title="Share of claims' views caught", axis=alt.Axis(format="%")
            ),
            color=alt.Color("order:N", title="Queue order"),
        )
        .properties(
            width=CHART_WIDTH,
            height=CHART_HEIGHT,
            title="Capture curve (test)",
        )
    )


def save_charts(charts: dict[str, alt.TopLevelMixin], out_dir: Path) -> list[Path]:
    """`<name>.png` for each chart and one `charts.html` page holding them all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, chart in charts.items():
        path = out_dir / f"{name}.png"
        chart.save(path)
        written.append(path)
    page = alt.vconcat(*charts.values()).properties(title="tiktok-claims: training run")
    html = out_dir / HTML_FILE
    page.save(html, inline=True)
    written.append(html)
    return written
