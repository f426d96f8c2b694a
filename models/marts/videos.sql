{#-
    One row per video, in its latest state (the row of the newest export that
    holds it): the cleaned export under its own column names, engagement
    ratios, outlier flags, and when the video was first and last exported.
-#}
with

videos as (
    select * from {{ ref('int_video_outlier_flags') }}
),

final as (
    select
        -- ids
        video_id,
        source_row_number,

        -- strings
        source_file,
        claim_status,
        verified_status,
        author_ban_status,
        video_transcription_text,

        -- numerics
        video_duration_sec,
        {% for column in count_columns() %}
            {{ column }},
        {% endfor %}
        transcription_length,
        likes_per_view,
        comments_per_view,
        shares_per_view,
        downloads_per_view,

        -- booleans
        is_labeled,
        is_claim,
        has_complete_features,
        {% for column in count_columns() %}
            {{ column }}_is_outlier,
        {% endfor %}

        -- dates
        first_export_date,
        latest_export_date
    from videos
)

select * from final
