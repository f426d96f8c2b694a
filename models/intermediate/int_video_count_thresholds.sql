{#-
    One row per count column: its quartiles, computed once in one scan, and its
    outlier threshold.
-#}
with

videos as (
    select * from {{ ref('int_videos_cleaned') }}
),

quartiles_wide as (
    select
        {% for column in count_columns() %}
            {{ quantile_exact(column, 0.25) }} as {{ column }}__q1,
            {{ quantile_exact(column, 0.5) }} as {{ column }}__median,
            {{ quantile_exact(column, 0.75) }} as {{ column }}__q3
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
),

quartiles as (
    {% for column in count_columns() %}
        select
            '{{ column }}' as column_name,
            cast({{ column }}__median as double) as median,
            cast({{ column }}__q1 as double) as q1,
            cast({{ column }}__q3 as double) as q3
        from quartiles_wide
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

thresholds as (
    select
        column_name,
        median,
        q1,
        q3,
        q3 - q1 as iqr,
        {{ outlier_threshold('median', 'q1', 'q3') }} as threshold
    from quartiles
)

select * from thresholds
