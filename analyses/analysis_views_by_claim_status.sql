{#
    Question: what are the mean and median view counts of claims and of
    opinions?
    Original analysis: within each claim status the mean and the median are
    close to one another, but claims get vastly more views than opinions.
    Unlabeled videos (null claim_status) have no view counts.
#}
with

videos as (
    select * from {{ ref('videos') }}
),

views_by_claim_status as (
    select
        claim_status,
        count(*) as video_count,
        count(video_view_count) as count_views,
        cast(avg(video_view_count) as double) as mean_views,
        cast({{ quantile_exact('video_view_count', 0.5) }} as double)
            as median_views
    from videos
    group by 1
)

select * from views_by_claim_status
order by 1
