{#- Spellings of a missing value that exports use (Excel, pandas, databases). -#}
{% macro export_null_strings() -%}
    {{ return(['', 'NA', 'N/A', '#N/A', 'NaN', 'nan', 'null', 'NULL', 'None']) }}
{%- endmacro %}
