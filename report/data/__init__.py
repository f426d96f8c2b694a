"""ALL of the report's data access, and nothing else.

- `read`: the one way to run a statement; it records the relations each statement reads.
- `distributions`, `engagement`, `summary`: the warehouse side, plain selects from the dbt
  models `reporting.*` (docs/reporting.md).
- `ml_tables`: the model side, plain selects from `ml.*`.

Everything is re-exported here: `from report import data; data.query_histograms(...)`.
"""

from report.data.distributions import *  # noqa: F403
from report.data.engagement import *  # noqa: F403
from report.data.ml_tables import *  # noqa: F403
from report.data.read import *  # noqa: F403
from report.data.summary import *  # noqa: F403
