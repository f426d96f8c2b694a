{#
    Question: how many videos are there for each combination of claim status
    and verified status?
    Original analysis: there are far fewer verified users than unverified
    users, but a verified user is much more likely to post opinions.
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
        status as verified_status,
        video_count,
        share_of_status as share_of_verified_status
    from status_counts_relabeled
    where grouped_by = 'verified_status'
)

select * from videos_by_status
order by 1, 2
