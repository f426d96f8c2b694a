{#-
    One row per video, stored: its latest state as int_videos_cleaned has it,
    without the transcript text (its length is kept).
    An incremental run reads the current rows of the new exports only (a
    new export sorts after every loaded one, so each of its valid rows is its
    video's current version) and replaces those videos' rows by video_id:
    the population-wide aggregates then read a narrow table kept up to date
    at the cost of the new file, instead of the view chain.
-#}

{{ config(materialized=merge_materialization()) }}

with

videos as (
    select * from {{ ref('int_videos_cleaned') }}
),

states as (
    select
        -- ids
        source_row_number,
        video_id,

        -- strings
        source_file,
        claim_status,
        verified_status,
        author_ban_status,

        -- numerics
        video_duration_sec,
        {% for column in count_columns() %}
            {{ column }},
        {% endfor %}
        transcription_length,

        -- booleans
        is_labeled,
        is_claim,
        has_complete_features,

        -- dates
        first_export_date,
        latest_export_date
    from videos
    {% if is_incremental() %}
        where {{ export_batch_filter() }}
    {% endif %}
)

select * from states
