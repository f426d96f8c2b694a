"""The figures the pages quote: how each is written, and the `<span data-fact>` that carries it.

Every figure of the summary is a `<span data-fact=...>` carrying its raw value, which the
tests compare with the warehouse.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from report.theme import TIMES


def fmt_int(value: float | None) -> str:
    """19382 -> '19,382'."""
    return "n/a" if value is None or _nan(value) else f"{round(value):,}"


def fmt_num(value: float | None) -> str:
    """A count-like figure with at most one decimal: 9954.5 -> '9,954.5', 501555.0 -> '501,555'."""
    if value is None or _nan(value):
        return "n/a"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """0.4965 -> '49.7%'."""
    return "n/a" if value is None or _nan(value) else f"{value * 100:.{digits}f}%"


def fmt_brier(value: float | None) -> str:
    """A Brier score: 0.0123456 -> '0.01235'."""
    return "n/a" if value is None or _nan(value) else f"{value:.5f}"


def fmt_times(value: float | None) -> str:
    """A ratio as 'N times': 101.26 -> '101', 3.14 -> '3.1'."""
    if value is None or _nan(value):
        return "n/a"
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def fmt_p(value: float | None) -> str:
    """A p-value in plain scientific notation: 2.6e-120 -> '2.6 x 10^-120' (as superscripts)."""
    if value is None or _nan(value):
        return "n/a"
    if value == 0:
        return "below 10" + _superscript(-307)
    if value >= 0.001:
        return f"{value:.3f}"
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    return f"{mantissa:.1f} {TIMES} 10{_superscript(exponent)}"


def _superscript(number: int) -> str:
    return str(number).translate(
        str.maketrans(
            "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
        )
    )


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or _nan(numerator) or _nan(denominator):
        return None
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Fact:
    """One figure of the summary: its raw value and how the page writes it."""

    value: float | int | str | None
    text: str


@dataclass
class Facts:
    """The named figures of the summary, rendered as `<span data-fact>` elements."""

    items: dict[str, Fact] = field(default_factory=dict)

    def add(self, name: str, value: Any, formatter: Callable[[Any], str] = fmt_int) -> None:
        """Record `value` (None if missing) under `name`, written with `formatter`."""
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        self.items[name] = Fact(value=value, text=formatter(value))

    def __contains__(self, name: str) -> bool:
        return name in self.items

    def value(self, name: str) -> Any:
        """The raw value of a figure."""
        return self.items[name].value

    def html(self, name: str) -> str:
        """The figure as a span the tests can read back: raw value (JSON) in `data-value`."""
        fact = self.items[name]
        raw = "" if fact.value is None else json.dumps(fact.value, ensure_ascii=False)
        css = "fact long" if len(fact.text) > 40 else "fact"
        return (
            f'<span class="{css}" data-fact="{html.escape(name)}" '
            f'data-value="{html.escape(raw)}">{html.escape(fact.text)}</span>'
        )

    def as_json(self) -> dict[str, dict[str, Any]]:
        """Every figure as {name: {value, text}}."""
        return {name: {"value": f.value, "text": f.text} for name, f in self.items.items()}


def outlier_rule(method: str | None, multiplier: float | None) -> str:
    """The threshold rule in words, from the rule the warehouse states it used.

    `method` and `multiplier` are the build's `outlier_method` and `outlier_iqr_multiplier`
    (columns of `reporting.rpt_outliers` and `rpt_summary_figures`): 'median', 1.5 gives
    'median + 1.5 x IQR' (with a multiplication sign), 'q3', 3 gives 'Q3 + 3 x IQR'.
    """
    base = {"median": "median", "q3": "Q3"}.get(str(method))
    if base is None or multiplier is None or _nan(multiplier):
        return "the warehouse's outlier threshold"
    return f"{base} + {float(multiplier):g} {TIMES} IQR"
