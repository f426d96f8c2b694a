{#-
    One row per (claim status, verified status, author ban status): videos and
    total views (0 where none), which the dashboard re-aggregates in the
    browser under any selection.
-#}
with

status_cells as (
    select * from {{ ref('rpt_status_cells') }}
),

dashboard_cells as (
    select
        claim_status,
        verified_status,
        author_ban_status,
        video_count,
        coalesce(cast(total_views as double), 0) as total_views
    from status_cells
)

select * from dashboard_cells
