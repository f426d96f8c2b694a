{#-
    The report has one outlier rule: over all videos, the values above each
    count column's upper whisker are exactly marts.outlier_summary's outliers.
    Returns the count columns where they differ.
-#}
with

distribution_stats as (
    select * from {{ ref('rpt_distribution_stats') }}
),

outliers as (
    select * from {{ ref('rpt_outliers') }}
),

all_videos as (
    select
        measure,
        above_whisker
    from distribution_stats
    where group_name = 'all videos'
)

select
    outliers.column_name,
    outliers.outlier_count,
    all_videos.above_whisker
from outliers
left join all_videos on outliers.column_name = all_videos.measure
where
    all_videos.above_whisker is null
    or all_videos.above_whisker != outliers.outlier_count
