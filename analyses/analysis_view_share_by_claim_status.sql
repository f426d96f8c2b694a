{#
    Question: what share of all views goes to claims, and what share to
    opinions?
    Original analysis: the overall view count is dominated by claim videos,
    although there are roughly as many claims as opinions.
    Unlabeled videos have no view counts: their total and share are null.
#}
with

videos as (
    select * from {{ ref('videos') }}
),

views_by_claim_status as (
    select
        claim_status,
        cast(sum(video_view_count) as bigint) as total_views,
        count(*) as video_count
    from videos
    group by 1
),

view_shares as (
    select
        claim_status,
        video_count,
        total_views,
        cast(total_views as double) / sum(total_views) over ()
            as share_of_views
    from views_by_claim_status
)

select * from view_shares
order by 1
