{#-
    One row per video: the cleaned export under its own column names, engagement
    ratios and outlier flags.
-#}
with

videos as (
    select * from {{ ref('int_videos_cleaned') }}
),

ratios as (
    select * from {{ ref('int_video_engagement_ratios') }}
),

outlier_flags as (
    select * from {{ ref('int_video_outlier_flags') }}
),

joined as (
    select
        -- ids
        videos.video_id,
        videos.source_row_number,

        -- strings
        videos.claim_status,
        videos.verified_status,
        videos.author_ban_status,
        videos.video_transcription_text,

        -- numerics
        videos.video_duration_sec,
        {% for column in count_columns() %}
            videos.{{ column }},
        {% endfor %}
        videos.transcription_length,
        ratios.likes_per_view,
        ratios.comments_per_view,
        ratios.shares_per_view,
        ratios.downloads_per_view,

        -- booleans
        videos.is_labeled,
        videos.is_claim,
        videos.has_complete_features,
        {% for column in count_columns() %}
            outlier_flags.{{ column }}_is_outlier
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
    inner join ratios
        on videos.video_id = ratios.video_id
    inner join outlier_flags
        on videos.video_id = outlier_flags.video_id
)

select * from joined
