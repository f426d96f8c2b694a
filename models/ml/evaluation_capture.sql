{#- ml.evaluation_capture is written by `python -m ml`; dbt declares it (macro python_written_table). -#}
{{ python_written_table() }}
