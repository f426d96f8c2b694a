{#-
    One row per video found in more than one export: its current version (the
    row of the newest export, by file name), when it was first exported and in
    how many exports it appears. Videos exported once need no row here. On an
    incremental run only the new files' videos are looked up among the earlier
    versions, and their rows merged by video_id.
-#}

{{ config(materialized=merge_materialization()) }}

with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
),

duplicate_video_ids as (
    select * from {{ ref('int_video_ids_deduplicated') }}
),

versions as (
    {{ video_versions(
        'videos', 'duplicate_video_ids',
        ['video_id', 'source_row_number', 'source_file', 'export_date']
    ) }}
),

{% if is_incremental() %}

    new_versions as (
        select * from versions
        where {{ export_batch_filter() }}
    ),

    earlier_versions as (
        select * from versions
        where
            not ({{ export_batch_filter() }})
            and video_id in (select new_versions.video_id from new_versions)
    ),

    looked_up_versions as (
        select * from new_versions
        union all
        select * from earlier_versions
    ),

{% else %}

    looked_up_versions as (
        select * from versions
    ),

{% endif %}

repeated_ids as (
    select video_id
    from looked_up_versions
    group by 1
    having count(*) > 1
),

summarized as (
    {#- Aggregated for the repeated ids only: most videos are in one export. -#}
    select
        -- ids
        looked_up_versions.video_id,
        max_by(
            looked_up_versions.source_row_number, looked_up_versions.source_file
        ) as current_row_number,

        -- strings
        max(looked_up_versions.source_file) as current_source_file,

        -- numerics
        count(*) as export_count,

        -- dates
        min(looked_up_versions.export_date) as first_export_date,
        max_by(
            looked_up_versions.export_date, looked_up_versions.source_file
        ) as latest_export_date
    from looked_up_versions
    inner join repeated_ids
        on looked_up_versions.video_id = repeated_ids.video_id
    group by 1
)

select * from summarized
