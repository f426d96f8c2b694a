{#
    Question: for each count column, how many videos are outliers, that is
    above median + 1.5 x IQR (the threshold the analysis uses for these
    right-skewed counts, lower than the classic Q3 + 1.5 x IQR)?
    Original analysis: the counts are heavily skewed to the right; a small
    share of videos gets very high engagement (the nature of viral content),
    and nothing suggests those values were captured wrongly.
    The threshold follows the outlier_method var of the build.
#}
with

outliers as (
    select * from {{ ref('rpt_outliers') }}
),

outlier_counts as (
    select
        column_position,
        column_name,
        videos_with_value as value_count,
        median,
        q1,
        q3,
        iqr,
        threshold,
        outlier_count,
        outlier_share
    from outliers
)

select * from outlier_counts
order by 1
