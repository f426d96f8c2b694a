{#- A value as a single-quoted SQL string literal, escaped for the engine: vars never reach SQL unquoted. -#}
{% macro sql_string_literal(value) -%}
    {{ return(adapter.dispatch('sql_string_literal', 'tiktok_claims')(value)) }}
{%- endmacro %}

{% macro default__sql_string_literal(value) -%}
    {#- Standard SQL: a quote is doubled; a backslash is an ordinary character. -#}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_string_literal(value) -%}
    {#- Spark reads backslash escapes in literals ('a\b' holds a backspace):
        escape the backslash first, then the quote. -#}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
