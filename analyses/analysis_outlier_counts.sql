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

outlier_summary as (
    select * from {{ ref('outlier_summary') }}
),

videos as (
    select * from {{ ref('videos') }}
),

value_counts as (
    {% for column in count_columns() %}
        select
            {{ loop.index }} as column_position,
            '{{ column }}' as column_name,
            count({{ column }}) as value_count
        from videos
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

outlier_counts as (
    select
        value_counts.column_position,
        outlier_summary.column_name,
        value_counts.value_count,
        outlier_summary.median,
        outlier_summary.q1,
        outlier_summary.q3,
        outlier_summary.iqr,
        outlier_summary.threshold,
        outlier_summary.outlier_count,
        {{ safe_divide(
            'outlier_summary.outlier_count',
            'value_counts.value_count',
        ) }} as outlier_share
    from outlier_summary
    inner join value_counts
        on outlier_summary.column_name = value_counts.column_name
)

select * from outlier_counts
order by 1
