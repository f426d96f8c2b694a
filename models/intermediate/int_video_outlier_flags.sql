{#-
    One row per video: the cleaned columns, the ratios and, for each count
    column, whether it exceeds that column's outlier threshold (null where the
    count is missing). The thresholds come from int_video_count_thresholds.
-#}
with

videos as (
    select * from {{ ref('int_video_engagement_ratios') }}
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
