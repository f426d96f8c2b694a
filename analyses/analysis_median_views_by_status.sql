{#
    Question: what is the median view count of each author ban status, and of
    each claim status?
    Original analysis: the median view counts of banned authors and those
    under review are many times the median of active authors. Non-active
    authors post more claims, so views may indicate claim status, and the
    median views by claim status bear that out.
    One row per status: grouped_by names the column the status comes from.
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

median_views_by_status as (
    select
        grouped_by,
        group_name_or_null as status,
        median as median_views
    from measure_stats_relabeled
    where
        measure = 'video_view_count'
        and grouped_by in ('author_ban_status', 'claim_status')
)

select * from median_views_by_status
order by 1, 2
