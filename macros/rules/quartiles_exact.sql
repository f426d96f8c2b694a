{#- The exact first quartile, median and third quartile of a column as one aggregate (one sort, not three), read back with quartile_item. -#}
{% macro quartiles_exact(column) -%}
    {{ return(adapter.dispatch('quartiles_exact', 'tiktok_claims')(column)) }}
{%- endmacro %}

{% macro default__quartiles_exact(column) -%}
    percentile_cont(array(0.25, 0.5, 0.75)) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__quartiles_exact(column) -%}
    quantile_cont({{ column }}, [0.25, 0.5, 0.75])
{%- endmacro %}

{% macro spark__quartiles_exact(column) -%}
    {#- Spark's exact percentile (linear interpolation), never percentile_approx. -#}
    percentile({{ column }}, array(0.25, 0.5, 0.75))
{%- endmacro %}

{% macro quartile_item(quartiles, position) -%}
    {#- position: 1 for q1, 2 for the median, 3 for q3. -#}
    {{ return(adapter.dispatch('quartile_item', 'tiktok_claims')(quartiles, position)) }}
{%- endmacro %}

{% macro default__quartile_item(quartiles, position) -%}
    element_at({{ quartiles }}, {{ position }})
{%- endmacro %}

{% macro duckdb__quartile_item(quartiles, position) -%}
    {{ quartiles }}[{{ position }}]
{%- endmacro %}

{% macro spark__quartile_item(quartiles, position) -%}
    element_at({{ quartiles }}, {{ position }})
{%- endmacro %}
