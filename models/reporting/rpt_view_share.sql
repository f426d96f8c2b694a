{#-
    One row per claim status ('unlabeled' included): videos, total views and
    the status's share of all views. A status without any view count has null
    total_views and share_of_views; the report's donut draws the rows with
    total_views > 0.
-#}
with

status_cells as (
    select * from {{ ref('rpt_status_cells') }}
),

views_by_claim_status as (
    select
        claim_status,
        cast(sum(total_views) as bigint) as total_views,
        cast(sum(video_count) as bigint) as video_count
    from status_cells
    group by 1
),

view_share as (
    select
        claim_status,
        total_views,
        video_count,
        cast(total_views as double) / sum(total_views) over ()
            as share_of_views
    from views_by_claim_status
)

select * from view_share
