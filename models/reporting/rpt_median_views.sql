{#-
    One row per (grouping, status) whose videos have view counts: the exact
    median and the mean of the view counts per claim status
    (grouped_by = 'claim_status') or author ban status
    (grouped_by = 'author_ban_status').
-#}
with

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

median_views as (
    select
        grouped_by,
        group_name as status,
        value_count as video_count,
        median as median_views,
        mean_value as mean_views
    from measure_stats
    where
        measure = 'video_view_count'
        and grouped_by in ('claim_status', 'author_ban_status')
        and value_count > 0
)

select * from median_views
