{#- Text to BIGINT where it holds a whole number ('343296' or '343296.0'); null otherwise, never an error. -#}
{% macro whole_number(text) -%}
    case
        when
            try_cast({{ text }} as double)
            = floor(try_cast({{ text }} as double))
            then
                coalesce(
                    try_cast({{ text }} as bigint),
                    try_cast(try_cast({{ text }} as double) as bigint)
                )
    end
{%- endmacro %}
