{#-
    One row per video: for each count column, whether it exceeds that column's
    outlier threshold.
-#}
with

videos as (
    select * from {{ ref('int_videos_cleaned') }}
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
        -- ids
        videos.video_id,

        -- booleans
        {% for column in count_columns() %}
            videos.{{ column }} > thresholds_wide.{{ column }}__threshold
                as {{ column }}_is_outlier
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
    cross join thresholds_wide
)

select * from flags
