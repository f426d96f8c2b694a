{#-
    One row per labeled video with complete features: the classifier's training
    mart (contract enforced). A moderator's latest decision overrides the
    export's label, or gives one to an unlabeled video; label_source says which.
-#}
with

videos as (
    select * from {{ ref('videos') }}
),

decisions as (
    select * from {{ ref('stg_moderation__decisions') }}
),

features as (
    select
        -- ids
        videos.video_id,

        -- strings
        videos.video_transcription_text,
        videos.verified_status,
        videos.author_ban_status,

        -- numerics
        videos.video_duration_sec,
        videos.transcription_length,
        {% for column in count_columns() %}
            videos.{{ column }},
        {% endfor %}
        videos.likes_per_view,
        videos.comments_per_view,
        videos.shares_per_view,
        videos.downloads_per_view,

        case
            when decisions.video_id is not null then 'moderator' else 'export'
        end as label_source,

        -- booleans
        coalesce(decisions.decision = 'claim', videos.is_claim) as is_claim
    {{ training_videos('videos', 'decisions') }}
)

select * from features
