{#
    Question: how many videos are claims, how many are opinions, and how many
    carry no claim status at all?
    Original analysis: the counts are quite balanced. Of the 19,382 videos,
    just under 50% are claims (9,608) and 9,476 are opinions; the other 298
    have no claim status (nor transcript or counts). Unlabeled videos are the
    row whose claim_status is null.
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

claim_status_counts as (
    select
        claim_status_or_null as claim_status,
        video_count,
        cast(video_count as double) / sum(video_count) over ()
            as share_of_videos
    from view_share_relabeled
)

select * from claim_status_counts
order by 1
