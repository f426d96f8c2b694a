{#- The five engagement count columns of the export, in export order: the one list every model and test uses. It is the var count_columns of dbt_project.yml, which the Python reads too (warehouse/project.py). -#}
{% macro count_columns() -%}
    {{ return(var('count_columns')) }}
{%- endmacro %}
