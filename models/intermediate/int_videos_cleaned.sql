{#-
    One row per video, labeled or not: its current version (the valid row of
    the newest export that holds it; the rest are in intermediate.int_export_rows_quarantined
    or are older versions), with the label and completeness flags derived
    once, and when the video was first and last exported.
-#}
with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
),

duplicate_video_ids as (
    select * from {{ ref('int_video_ids_deduplicated') }}
),

video_versions as (
    select * from {{ ref('int_video_versions') }}
),

versions as (
    {{ video_versions(
        'videos', 'duplicate_video_ids',
        [
            'source_row_number', 'video_id', 'source_file', 'claim_status',
            'video_transcription_text', 'verified_status', 'author_ban_status',
            'video_duration_sec',
        ] + count_columns() + ['export_date']
    ) }}
),

current_videos as (
    {#- Of a video in several exports only the newest export's version: a
        join to a small table. -#}
    select
        versions.*,
        coalesce(video_versions.first_export_date, versions.export_date)
            as first_export_date
    from versions
    left join video_versions
        on versions.video_id = video_versions.video_id
    where
        video_versions.video_id is null
        or (
            versions.source_file = video_versions.current_source_file
            and versions.source_row_number = video_versions.current_row_number
        )
),

cleaned as (
    select
        -- ids
        source_row_number,
        video_id,

        -- strings
        source_file,
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
        ) as has_complete_features,

        -- dates
        first_export_date,
        export_date as latest_export_date
    from current_videos
)

select * from cleaned
