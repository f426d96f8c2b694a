{#-
    One row per video, labeled or not: the input rows that passed every check
    (the rest are in staging.rejected_videos), with the label and completeness
    flags derived once.
-#}
with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
),

duplicate_video_ids as (
    select * from {{ ref('stg_tiktok__duplicate_video_ids') }}
),

valid_videos as (
    {#- Valid rows, and of rows sharing a video_id only the first. -#}
    select videos.*
    from videos
    left join duplicate_video_ids
        on videos.video_id = duplicate_video_ids.video_id
    where
        not videos.is_rejected
        and (
            duplicate_video_ids.video_id is null
            or videos.source_row_number = duplicate_video_ids.kept_row_number
        )
),

cleaned as (
    select
        -- ids
        source_row_number,
        video_id,

        -- strings
        claim_status,
        video_transcription_text,
        verified_status,
        author_ban_status,

        -- numerics
        video_duration_sec,
        {% for column in count_columns() %}
            {{ column }},
        {% endfor %}
        cast(length(video_transcription_text) as integer)
            as transcription_length,

        -- booleans
        claim_status is not null as is_labeled,
        case claim_status
            when 'claim' then true
            when 'opinion' then false
        end as is_claim,
        (
            video_transcription_text is not null
            {% for column in count_columns() %}
                and {{ column }} is not null
            {% endfor %}
        ) as has_complete_features
    from valid_videos
)

select * from cleaned
