"""The report's pages, one module each; each chart is one function taking shaped frames.

- `summary`: the executive summary (`index.html`), with the `dashboard` figure;
- `distributions`: box plots, histograms and outliers (`distributions.html`);
- `engagement`: claim status by account, views, per-view rates (`engagement.html`);
- `model` (+ `model_figures`, `model_charts`): the classifier and the statistics (`model.html`).

Every figure declares the relations it is drawn from (`Figure.relations`), each in one of
`PUBLIC_SCHEMAS`: the dbt models of `models/reporting/` (`reporting.*`) or the tables `ml/`
writes (`ml.*`). `tests/integration/test_report.py` checks every figure and every read.
"""

PUBLIC_SCHEMAS = ("reporting", "ml")
