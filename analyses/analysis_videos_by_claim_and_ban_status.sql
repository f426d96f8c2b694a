{#
    Question: how many videos are there for each combination of claim status
    and author ban status?
    Original analysis: there are many more claim videos with banned authors
    than opinion videos with banned authors. Active authors are the majority
    for both, but a far greater share of opinion videos than of claim videos
    come from active authors: authors who post claims are more likely to come
    under review or be banned. (Nothing here says which video caused a ban.)
#}
with

status_counts as (
    select * from {{ ref('rpt_status_counts') }}
),

status_counts_relabeled as (
    -- the report's 'unlabeled' is the analyses' null claim status
    select
        *,
        nullif(claim_status, 'unlabeled') as claim_status_or_null
    from status_counts
),

videos_by_status as (
    select
        claim_status_or_null as claim_status,
        status as author_ban_status,
        video_count,
        share_of_claim_status
    from status_counts_relabeled
    where grouped_by = 'author_ban_status'
)

select * from videos_by_status
order by 1, 2
