{#- A deterministic pseudo-random sort key of a column, for samples drawn without bias. -#}
{% macro sample_order_key(column) -%}
    {{ return(adapter.dispatch('sample_order_key', 'tiktok_claims')(column)) }}
{%- endmacro %}

{% macro default__sample_order_key(column) -%}
    md5(cast({{ column }} as varchar(64)))
{%- endmacro %}

{% macro duckdb__sample_order_key(column) -%}
    {#- DuckDB's 64-bit hash: the key the report used before these models. -#}
    hash({{ column }})
{%- endmacro %}

{% macro spark__sample_order_key(column) -%}
    {#- Spark's 64-bit xxHash: deterministic, but not DuckDB's hash. -#}
    xxhash64({{ column }})
{%- endmacro %}
