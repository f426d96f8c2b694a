{#- The outlier flag rule: every column of `videos` plus, for each count column C, `C_is_outlier` (C above its threshold in int_video_count_thresholds; null where C is missing). A select over a relation, so that the flags are written once for both readers of them. -#}
{% macro outlier_flags(videos) -%}
    with

    videos as (
        select * from {{ videos }}
    ),

    thresholds as (
        select * from {{ ref('int_video_count_thresholds') }}
    ),

    thresholds_wide as (
        select
            {% for column in count_columns() %}
                max(case when column_name = '{{ column }}' then threshold end)
                    as {{ column }}__threshold
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        from thresholds
    ),

    flags as (
        select
            videos.*,
            {% for column in count_columns() %}
                videos.{{ column }} > thresholds_wide.{{ column }}__threshold
                    as {{ column }}_is_outlier
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        from videos
        cross join thresholds_wide
    )

    select * from flags
{%- endmacro %}
