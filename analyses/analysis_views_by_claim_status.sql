{#
    Question: what are the mean and median view counts of claims and of
    opinions?
    Original analysis: within each claim status the mean and the median are
    close to one another, but claims get vastly more views than opinions.
    Unlabeled videos (null claim_status) have no view counts.
#}
with

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

measure_stats_relabeled as (
    -- the report's 'unlabeled' is the analyses' null claim status
    select
        *,
        nullif(group_name, 'unlabeled') as group_name_or_null
    from measure_stats
),

views_by_claim_status as (
    select
        group_name_or_null as claim_status,
        video_count,
        value_count as count_views,
        mean_value as mean_views,
        median as median_views
    from measure_stats_relabeled
    where measure = 'video_view_count' and grouped_by = 'claim_status'
)

select * from views_by_claim_status
order by 1
