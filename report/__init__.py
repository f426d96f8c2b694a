"""The stakeholder report (`python -m report`): offline HTML pages of altair charts.

Split by responsibility:

- `report.data`: ALL data access (plain selects from `ml.*`; the warehouse aggregates, to
  become plain selects from `reporting.*`), every statement recorded with its relations;
- `report.pages`: one module per page, one function per chart (frames in, one chart out);
- `report.facts`: the figures the prose quotes, and how each is written;
- `report.figures`: figures, sections and pages; `report.theme`: colours and the spec config;
- `report.render`: specs, templates (`report/templates/`), the Vega bundle, the PNG workers;
- `report.build`: `build_report(db_path, artifacts_dir, out_dir)`; `report.__main__`: the CLI.
"""

from report.build import build_report
from report.facts import Facts, fmt_brier, fmt_int, fmt_num, fmt_p, fmt_pct, fmt_times

__all__ = [
    "Facts",
    "build_report",
    "fmt_brier",
    "fmt_int",
    "fmt_num",
    "fmt_p",
    "fmt_pct",
    "fmt_times",
]
