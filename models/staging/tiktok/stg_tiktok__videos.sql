{#-
    One row per input row: the export typed, renamed and with its enum values
    trimmed and lower-cased.
-#}
with

raw_videos as (
    {% if var('raw_videos_path') %}
        select * from {{ read_raw_videos(var('raw_videos_path')) }}
    {% else %}
        select * from {{ ref('tiktok_dataset') }}
    {% endif %}
),

renamed as (
    select
        -- ids
        cast({{ adapter.quote('#') }} as bigint) as source_row_number,
        cast(video_id as bigint) as video_id,

        -- strings
        nullif(lower(trim(claim_status)), '') as claim_status,
        nullif(trim(video_transcription_text), '') as video_transcription_text,
        nullif(lower(trim(verified_status)), '') as verified_status,
        nullif(lower(trim(author_ban_status)), '') as author_ban_status,

        -- numerics
        {% for column in count_columns() %}
            cast({{ column }} as bigint) as {{ column }},
        {% endfor %}
        cast(video_duration_sec as integer) as video_duration_sec
    from raw_videos
)

select * from renamed
