{#- ml.evaluation_precision_recall is written by `python -m ml`; dbt declares it (macro python_written_table). -#}
{{ python_written_table() }}
