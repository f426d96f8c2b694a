{#-
    One row per labeled video with complete features: the classifier's training
    mart (contract enforced).
-#}
with

videos as (
    select * from {{ ref('videos') }}
),

features as (
    select
        -- ids
        video_id,

        -- strings
        video_transcription_text,
        verified_status,
        author_ban_status,

        -- numerics
        video_duration_sec,
        transcription_length,
        {% for column in count_columns() %}
            {{ column }},
        {% endfor %}
        likes_per_view,
        comments_per_view,
        shares_per_view,
        downloads_per_view,

        -- booleans
        is_claim
    from videos
    where is_labeled and has_complete_features
)

select * from features
