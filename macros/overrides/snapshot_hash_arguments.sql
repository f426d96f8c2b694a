{#- dbt's snapshot row id (dbt_scd_id) as DuckDB's 64-bit hash of the key and the export date instead of an md5 string: the history snapshots every video, and md5 text for ten million rows costs seconds and 32 bytes a row. -#}
{% macro duckdb__snapshot_hash_arguments(args) -%}
    hash({{ args | join(', ') }})
{%- endmacro %}
