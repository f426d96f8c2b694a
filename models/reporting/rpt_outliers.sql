{#-
    One row per count column: marts.outlier_summary (quartiles, the one
    outlier threshold, outlier count), how many videos have the count, the
    outliers' share of them, and the rule the threshold follows (the build's
    outlier_method and outlier_iqr_multiplier vars).
-#}
with

outlier_summary as (
    select * from {{ ref('outlier_summary') }}
),

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

measures as (
    select * from {{ ref('rpt_measures') }}
),

value_counts as (
    select
        measure,
        value_count
    from measure_stats
    where grouped_by = 'all'
),

outliers as (
    select
        -- strings
        outlier_summary.column_name,

        -- numerics
        outlier_summary.median,
        outlier_summary.q1,
        outlier_summary.q3,
        outlier_summary.iqr,
        outlier_summary.threshold,
        outlier_summary.outlier_count,
        value_counts.value_count as videos_with_value,
        {{ safe_divide(
            'outlier_summary.outlier_count', 'value_counts.value_count'
        ) }} as outlier_share,
        measures.measure_position - 1 as column_position,

        -- strings
        '{{ var("outlier_method", "median") }}' as outlier_method,

        -- numerics
        cast({{ var("outlier_iqr_multiplier", 1.5) }} as double)
            as outlier_iqr_multiplier
    from outlier_summary
    inner join value_counts
        on outlier_summary.column_name = value_counts.measure
    inner join measures
        on outlier_summary.column_name = measures.measure
)

select * from outliers
