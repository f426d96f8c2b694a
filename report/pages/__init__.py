"""The report's pages, one module each; each chart is one function taking shaped frames.

- `summary`: the executive summary (`index.html`), with the `dashboard` figure;
- `distributions`: box plots, histograms and outliers (`distributions.html`);
- `engagement`: claim status by account, views, per-view rates (`engagement.html`);
- `model` (+ `model_figures`, `model_charts`): the classifier and the statistics (`model.html`).

Every figure declares the relations it is drawn from (`Figure.relations`): `reporting.*` or
`ml.*`. The warehouse figures still read `marts.*` until their queries become plain selects
from the `reporting.*` dbt models; `KNOWN_MART_READS` lists those relations, in this one place,
and is to be emptied (then deleted) by that swap; `tests/integration/test_report.py` checks
every figure and every read against it.
"""

KNOWN_MART_READS = frozenset(
    {
        "marts.videos",
        "marts.engagement_by_status",
        "marts.outlier_summary",
        "marts.claim_features",  # the summary's training_rows and the warehouse fingerprint
    }
)
PUBLIC_SCHEMAS = ("reporting", "ml")
