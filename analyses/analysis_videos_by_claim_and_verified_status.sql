{#
    Question: how many videos are there for each combination of claim status
    and verified status?
    Original analysis: there are far fewer verified users than unverified
    users, but a verified user is much more likely to post opinions.
#}
with

videos as (
    select * from {{ ref('videos') }}
),

videos_by_status as (
    select
        claim_status,
        verified_status,
        count(*) as video_count,
        cast(count(*) as double)
        / sum(count(*)) over (partition by verified_status)
            as share_of_verified_status
    from videos
    group by 1, 2
)

select * from videos_by_status
order by 1, 2
