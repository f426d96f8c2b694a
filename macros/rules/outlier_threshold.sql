{#- The outlier fence from a column's quartiles: median + k x IQR (default) or the classic q3 + k x IQR. -#}
{% macro outlier_threshold(
    median,
    q1,
    q3,
    method=var('outlier_method', 'median'),
    multiplier=var('outlier_iqr_multiplier', 1.5)
) -%}
    {%- if method == 'median' -%}
        {%- set base = median -%}
    {%- elif method == 'q3' -%}
        {%- set base = q3 -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "outlier_threshold: method must be 'median' or 'q3', got '" ~ method ~ "'"
        ) }}
    {%- endif -%}
    {%- if multiplier is not number or multiplier is boolean or multiplier < 0 -%}
        {{ exceptions.raise_compiler_error(
            "outlier_iqr_multiplier must be a non-negative number, got "
            ~ (multiplier | tojson)
        ) }}
    {%- endif -%}
    ({{ base }} + {{ multiplier }} * ({{ q3 }} - {{ q1 }}))
{%- endmacro %}
