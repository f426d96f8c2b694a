{#- A value as a single-quoted SQL string literal, quotes doubled: vars never reach SQL unquoted. -#}
{% macro sql_string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
