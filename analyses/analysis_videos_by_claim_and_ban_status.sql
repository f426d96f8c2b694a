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

videos as (
    select * from {{ ref('videos') }}
),

videos_by_status as (
    select
        claim_status,
        author_ban_status,
        count(*) as video_count,
        cast(count(*) as double)
        / sum(count(*)) over (partition by claim_status)
            as share_of_claim_status
    from videos
    group by 1, 2
)

select * from videos_by_status
order by 1, 2
