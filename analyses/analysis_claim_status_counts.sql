{#
    Question: how many videos are claims, how many are opinions, and how many
    carry no claim status at all?
    Original analysis: the counts are quite balanced. Of the 19,382 videos,
    just under 50% are claims (9,608) and 9,476 are opinions; the other 298
    have no claim status (nor transcript or counts). Unlabeled videos are the
    row whose claim_status is null.
#}
with

videos as (
    select * from {{ ref('videos') }}
),

claim_status_counts as (
    select
        claim_status,
        count(*) as video_count,
        cast(count(*) as double) / sum(count(*)) over () as share_of_videos
    from videos
    group by 1
)

select * from claim_status_counts
order by 1
