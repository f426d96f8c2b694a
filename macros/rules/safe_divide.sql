{#- numerator / denominator as a double; null where the denominator is null or zero (DuckDB's 1/0 is inf). -#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}
