{#
    Question: what is the median view count of each author ban status, and of
    each claim status?
    Original analysis: the median view counts of banned authors and those
    under review are many times the median of active authors. Non-active
    authors post more claims, so views may indicate claim status, and the
    median views by claim status bear that out.
    One row per status: grouped_by names the column the status comes from.
#}
with

videos as (
    select * from {{ ref('videos') }}
),

median_views_by_ban_status as (
    select
        author_ban_status,
        cast({{ quantile_exact('video_view_count', 0.5) }} as double)
            as median_views
    from videos
    group by 1
),

median_views_by_claim_status as (
    select
        claim_status,
        cast({{ quantile_exact('video_view_count', 0.5) }} as double)
            as median_views
    from videos
    group by 1
),

median_views_by_status as (
    select
        'author_ban_status' as grouped_by,
        author_ban_status as status,
        median_views
    from median_views_by_ban_status
    union all
    select
        'claim_status' as grouped_by,
        claim_status as status,
        median_views
    from median_views_by_claim_status
)

select * from median_views_by_status
order by 1, 2
