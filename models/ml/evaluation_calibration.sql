{#- ml.evaluation_calibration: written by `python -m ml`, declared here
    (macro python_written_table). -#}
{{ python_written_table() }}
