{#
    Question: what is the median share count of each author ban status, and
    how many times active authors' median is it?
    Original analysis: banned authors have a median share count 33 times the
    median share count of active authors.
#}
with

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

median_shares as (
    select
        group_name as author_ban_status,
        median as median_shares
    from measure_stats
    where
        measure = 'video_share_count'
        and grouped_by = 'author_ban_status'
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
