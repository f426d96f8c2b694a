{#-
    The select of a model that declares a table `python -m ml` writes
    (models/ml/): no row, one column per column of the model's yml, cast to
    its `data_type`. Materialized incremental (append) and never fully
    refreshed (dbt_project.yml), so dbt creates the table empty where the
    command has never run, with the command's columns, and leaves the
    command's rows alone where it has: the semantic layer, the docs and the
    report's exposure can depend on it either way. A column the command
    writes but the yml does not declare fails the next build.
-#}
{% macro python_written_table() -%}
    select
        {% for column in model.columns.values() -%}
            cast(null as {{ column.data_type }}) as {{ column.name }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    where false
{%- endmacro %}
