{#-
    One row per video: the cleaned columns and each engagement count per view
    (null where views are null or zero). A projection of int_videos_cleaned,
    so the chain down to marts.videos is one scan, never a join.
-#}
with

videos as (
    select * from {{ ref('int_videos_cleaned') }}
),

ratios as (
    select
        *,
        {{ safe_divide('video_like_count', 'video_view_count') }}
            as likes_per_view,
        {{ safe_divide('video_comment_count', 'video_view_count') }}
            as comments_per_view,
        {{ safe_divide('video_share_count', 'video_view_count') }}
            as shares_per_view,
        {{ safe_divide('video_download_count', 'video_view_count') }}
            as downloads_per_view
    from videos
)

select * from ratios
