{#
    Question: what share of all views goes to claims, and what share to
    opinions?
    Original analysis: the overall view count is dominated by claim videos,
    although there are roughly as many claims as opinions.
    Unlabeled videos have no view counts: their total and share are null.
#}
with

view_share as (
    select * from {{ ref('rpt_view_share') }}
),

view_share_relabeled as (
    -- the report's 'unlabeled' is the analyses' null claim status
    select
        *,
        nullif(claim_status, 'unlabeled') as claim_status_or_null
    from view_share
),

view_shares as (
    select
        claim_status_or_null as claim_status,
        video_count,
        total_views,
        share_of_views
    from view_share_relabeled
)

select * from view_shares
order by 1
