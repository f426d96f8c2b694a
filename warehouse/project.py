"""Constants the SQL and the Python share, read from their one source: dbt_project.yml's vars.

    from warehouse.project import COUNT_COLUMNS

The `count_columns()` macro returns the same var, so the models, the tests, the generator and
the classifier all list the export's count columns from one place.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project.yml"


@functools.cache
def project_vars() -> dict[str, Any]:
    """The `vars:` block of dbt_project.yml (the defaults; `--vars` may override them in dbt)."""
    return yaml.safe_load(PROJECT_FILE.read_text(encoding="utf-8"))["vars"]


# The five engagement count columns of the export, in export order.
COUNT_COLUMNS: tuple[str, ...] = tuple(project_vars()["count_columns"])
