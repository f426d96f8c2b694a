{#
    Question: per author ban status, what are the count, mean and median of
    views, likes and shares?
    Original analysis: banned authors and those under review get far more
    views, likes and shares than active authors; in most groups the mean is
    much greater than the median, so a few videos have very high engagement.
    count_<measure> counts the videos where that count is present (as pandas'
    agg('count')); video_count counts every video.
#}
with

videos as (
    select * from {{ ref('videos') }}
),

engagement_by_ban_status as (
    select
        author_ban_status,
        count(*) as video_count,
        count(video_view_count) as count_views,
        cast(avg(video_view_count) as double) as mean_views,
        cast({{ quantile_exact('video_view_count', 0.5) }} as double)
            as median_views,
        count(video_like_count) as count_likes,
        cast(avg(video_like_count) as double) as mean_likes,
        cast({{ quantile_exact('video_like_count', 0.5) }} as double)
            as median_likes,
        count(video_share_count) as count_shares,
        cast(avg(video_share_count) as double) as mean_shares,
        cast({{ quantile_exact('video_share_count', 0.5) }} as double)
            as median_shares
    from videos
    group by 1
)

select * from engagement_by_ban_status
order by 1
