{#- Histogram bins: a round linear width, a log width, and a value's bin key, start and end. -#}

{% macro nice_bin_width(span, bins) -%}
    {#- A round width (1, 2, 2.5 or 5 x 10^k, at least 1) giving about `bins`
        bins over `span`; 1 for an empty or missing span. -#}
    {%- set raw = '(' ~ span ~ ') / ' ~ bins -%}
    {%- set power = 'pow(10, floor(log10(' ~ raw ~ ')))' -%}
    case
        when {{ span }} is null or {{ span }} <= 0 then 1.0
        else greatest(
            1.0,
            case
                {% for factor in [1, 2, 2.5, 5] -%}
                    when {{ raw }} <= {{ factor }} * {{ power }}
                        then {{ factor }} * {{ power }}
                {% endfor -%}
                else 10 * {{ power }}
            end
        )
    end
{%- endmacro %}

{% macro log_bin_width(max_value, bins) -%}
    {#- A width in decades of log10(value + 1), a multiple of 0.05 (at least
        0.05), giving about `bins` bins up to `max_value`. -#}
    greatest(
        0.05,
        round(log10(greatest({{ max_value }}, 0) + 1) / {{ bins }} * 20) / 20
    )
{%- endmacro %}

{% macro histogram_bin_key(value, width, is_log) -%}
    {#- The bin's key: its start in the value's unit, or in log10(value + 1);
        null for a null value (greatest() skips nulls). -#}
    case
        when {{ value }} is null then null
        when {{ is_log }}
            then floor(log10(greatest({{ value }}, 0) + 1) / {{ width }})
        else floor({{ value }} / {{ width }})
    end * {{ width }}
{%- endmacro %}

{% macro histogram_bin_start(bin_key, is_log) -%}
    case
        when {{ is_log }} then pow(10, {{ bin_key }}) - 1 else {{ bin_key }}
    end
{%- endmacro %}

{% macro histogram_bin_end(bin_key, width, is_log) -%}
    case
        when {{ is_log }} then pow(10, {{ bin_key }} + {{ width }}) - 1
        else {{ bin_key }} + {{ width }}
    end
{%- endmacro %}
