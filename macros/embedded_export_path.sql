{#- Where the engine reads the embedded synthetic export as a file rather than through `dbt seed`: none on DuckDB, the committed CSV on Spark. -#}
{% macro embedded_export_path() -%}
    {{ return(adapter.dispatch('embedded_export_path', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro default__embedded_export_path() -%}
    {#- The seed tiktok_dataset, loaded by `dbt seed`, is the input. -#}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__embedded_export_path() -%}
    {#- dbt-spark's seed loader breaks on this data (unescaped apostrophes,
        empty cells as 'None', ids through float), so the seed is disabled on
        Spark and its CSV is read as an external table, like any export. dbt
        exposes the project directory to Jinja only through its config. -#}
    {{ return(adapter.config.project_root ~ '/seeds/tiktok_dataset.csv') }}
{%- endmacro %}
