{#- The embedded synthetic export, read as a file by the loader like any export when no raw_videos_path is given. -#}
{% macro embedded_export_path() -%}
    {#- dbt exposes the project directory to Jinja only through its config.
        (The loader reads it as a file, not through `dbt seed`, on every
        engine: one path into staging, with a ledger row like any export.
        dbt-spark's seed loader also breaks on this data.) -#}
    {{ return(adapter.config.project_root ~ '/seeds/tiktok_dataset.csv') }}
{%- endmacro %}
