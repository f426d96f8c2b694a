"""What a page is made of: figures (a chart, the relations it is drawn from, its data table),
sections and pages, and the small HTML pieces the pages share."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from report.facts import fmt_num

TABLE_MAX_ROWS = 40


@dataclass
class Figure:
    """A chart on a page: its key (file and element id), altair chart, text alternative and the
    relations it is drawn from."""

    key: str
    chart: alt.TopLevelMixin
    caption: str
    table: pd.DataFrame | None = None
    table_formats: dict[str, str] = field(default_factory=dict)
    wide: bool = False
    relations: tuple[str, ...] = ()
    """The relations the chart's data is read from (`reporting.*` or `ml.*`)."""


@dataclass
class Section:
    """A heading, some HTML prose and the figures under it."""

    heading: str
    prose: str = ""
    figures: list[Figure] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Page:
    """One HTML file of the report."""

    slug: str
    nav_title: str
    title: str
    lead: str
    sections: list[Section]

    @property
    def file_name(self) -> str:
        """The page's file name inside the output folder."""
        return f"{self.slug}.html"


def html_table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    """A small data table (the chart's data, for screen readers and exact values)."""
    formats = formats or {}
    frame = frame.head(TABLE_MAX_ROWS)
    header = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                text = ""
            elif column in formats:
                text = format(value, formats[column])
            elif isinstance(value, float):
                text = fmt_num(value)
            elif isinstance(value, int):
                text = f"{value:,}"
            else:
                text = str(value)
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def clean_table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The listed columns, renamed for people."""
    return frame[list(columns)].rename(columns=columns)


def tile(value_html: str, label: str, css: str = "") -> str:
    return (
        f'<div class="tile {css}"><div class="value">{value_html}</div>'
        f'<div class="label">{label}</div></div>'
    )
