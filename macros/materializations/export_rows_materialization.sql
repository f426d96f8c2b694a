{#- The materialization of the model that reads the exports (stg_tiktok__videos): each run writes the new files' rows once and never rewrites loaded ones. -#}
{% macro export_rows_materialization() -%}
    {{ return(adapter.dispatch('export_rows_materialization', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro default__export_rows_materialization() -%}
    {#- An appending table (Spark: Parquet tables cannot be views over files). -#}
    {{ return('incremental') }}
{%- endmacro %}

{% macro duckdb__export_rows_materialization() -%}
    {#- Immutable Parquet parts and a view over them (materialization
        export_parts, beside this file). -#}
    {{ return('export_parts') }}
{%- endmacro %}
