{#- A number read as a double, as text the way it was most likely written: 343296 for a whole number, 0.5 otherwise. -#}
{% macro number_text(number) -%}
    case
        when {{ number }} = floor({{ number }})
            then cast(cast({{ number }} as bigint) as string)
        else cast({{ number }} as string)
    end
{%- endmacro %}
