{#- A number read as a double to BIGINT where it is whole (343296.0 is 343296); null where it is a fraction or missing. -#}
{% macro whole_number(number) -%}
    case
        when {{ number }} = floor({{ number }}) then cast({{ number }} as bigint)
    end
{%- endmacro %}
