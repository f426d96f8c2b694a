{#
    Question: per claim status and author ban status, what are the count, mean
    and median of likes, comments and shares per view?
    Original analysis: once a video is viewed, its engagement rate depends
    more on its claim status than on its author's ban status: claims get more
    likes, comments and shares per view than opinions. For claims, banned
    authors have slightly higher likes and shares per view than active authors
    or those under review; for opinions, active authors and those under review
    get higher rates than banned authors in all three.
    count_<rate> counts the videos where the rate is defined (views present
    and non-zero).
#}
with

videos as (
    select * from {{ ref('videos') }}
),

rates_by_status as (
    select
        claim_status,
        author_ban_status,
        count(*) as video_count,
        count(likes_per_view) as count_likes_per_view,
        cast(avg(likes_per_view) as double) as mean_likes_per_view,
        cast({{ quantile_exact('likes_per_view', 0.5) }} as double)
            as median_likes_per_view,
        count(comments_per_view) as count_comments_per_view,
        cast(avg(comments_per_view) as double) as mean_comments_per_view,
        cast({{ quantile_exact('comments_per_view', 0.5) }} as double)
            as median_comments_per_view,
        count(shares_per_view) as count_shares_per_view,
        cast(avg(shares_per_view) as double) as mean_shares_per_view,
        cast({{ quantile_exact('shares_per_view', 0.5) }} as double)
            as median_shares_per_view
    from videos
    group by 1, 2
)

select * from rates_by_status
order by 1, 2
