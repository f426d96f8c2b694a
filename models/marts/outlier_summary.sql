{#-
    One row per count column: its quartiles, outlier threshold and how many
    videos exceed it.
-#}
with

thresholds as (
    select * from {{ ref('int_video_count_thresholds') }}
),

outlier_flags as (
    select * from {{ ref('int_video_population') }}
),

outlier_counts_wide as (
    select
        {% for column in count_columns() %}
            cast(count_if({{ column }}_is_outlier) as bigint)
                as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from outlier_flags
),

outlier_counts as (
    {% for column in count_columns() %}
        select
            '{{ column }}' as column_name,
            {{ column }} as outlier_count
        from outlier_counts_wide
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

summary as (
    select
        thresholds.column_name,
        thresholds.median,
        thresholds.q1,
        thresholds.q3,
        thresholds.iqr,
        thresholds.threshold,
        outlier_counts.outlier_count
    from thresholds
    inner join outlier_counts
        on thresholds.column_name = outlier_counts.column_name
)

select * from summary
