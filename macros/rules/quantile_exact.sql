{#- Exact quantile p of a column, by linear interpolation (pandas' default); never approximate. -#}
{% macro quantile_exact(column, p) -%}
    {{ return(adapter.dispatch('quantile_exact', 'tiktok_claims')(column, p)) }}
{%- endmacro %}

{% macro default__quantile_exact(column, p) -%}
    percentile_cont({{ p }}) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__quantile_exact(column, p) -%}
    quantile_cont({{ column }}, {{ p }})
{%- endmacro %}

{% macro spark__quantile_exact(column, p) -%}
    {#- Spark's exact percentile (linear interpolation), never percentile_approx. -#}
    percentile({{ column }}, {{ p }})
{%- endmacro %}
