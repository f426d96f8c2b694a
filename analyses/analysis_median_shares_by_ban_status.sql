{#
    Question: what is the median share count of each author ban status, and
    how many times active authors' median is it?
    Original analysis: banned authors have a median share count 33 times the
    median share count of active authors.
#}
with

videos as (
    select * from {{ ref('videos') }}
),

median_shares as (
    select
        author_ban_status,
        cast({{ quantile_exact('video_share_count', 0.5) }} as double)
            as median_shares
    from videos
    group by 1
),

active_median_shares as (
    select median_shares as active_median_shares
    from median_shares
    where author_ban_status = 'active'
),

compared_to_active as (
    select
        median_shares.author_ban_status,
        median_shares.median_shares,
        {{ safe_divide(
            'median_shares.median_shares',
            'active_median_shares.active_median_shares',
        ) }} as ratio_to_active
    from median_shares
    cross join active_median_shares
)

select * from compared_to_active
order by 1
