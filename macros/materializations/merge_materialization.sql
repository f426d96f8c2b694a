{#- The materialization of a model merged by key on each run (int_video_versions): incremental where the engine can merge, else a table rebuilt from all rows. -#}
{% macro merge_materialization() -%}
    {{ return(adapter.dispatch('merge_materialization', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro default__merge_materialization() -%}
    {#- A table rebuilt on every run (Spark's plain Parquet tables have no
        delete+insert or merge without Delta). -#}
    {{ return('table') }}
{%- endmacro %}

{% macro duckdb__merge_materialization() -%}
    {#- Incremental, delete+insert by the model's unique_key. -#}
    {{ return('incremental') }}
{%- endmacro %}
