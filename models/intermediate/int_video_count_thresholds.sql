{#-
    One row per count column: its quartiles, computed once in one scan, and its
    outlier threshold.
-#}
with

videos as (
    select * from {{ ref('int_video_states') }}
),

quartiles_wide as (
    select
        {% for column in count_columns() %}
            {{ quartiles_exact(column) }} as {{ column }}__quartiles
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
),

quartiles as (
    {% for column in count_columns() %}
        select
            '{{ column }}' as column_name,
            cast({{ quartile_item(column ~ '__quartiles', 2) }} as double)
                as median,
            cast({{ quartile_item(column ~ '__quartiles', 1) }} as double)
                as q1,
            cast({{ quartile_item(column ~ '__quartiles', 3) }} as double)
                as q3
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
