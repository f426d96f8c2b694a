{#-
    One row per video: the cleaned export under its own column names, engagement
    ratios and outlier flags.
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
            {{ column }}_is_outlier
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
)

select * from final
