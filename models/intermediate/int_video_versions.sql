{#-
    One row per video found in more than one export: its current version (the
    row of the newest export, by file name), when it was first exported and in
    how many exports it appears. Videos exported once need no row here. On an
    incremental run only the new files' videos are looked up among the earlier
    versions, and their rows merged by video_id.
-#}
with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
),

duplicate_video_ids as (
    select * from {{ ref('stg_tiktok__duplicate_video_ids') }}
),

versions as (
    {#- One version per (video, file): valid rows, and of rows sharing a
        video_id within one file only the first. -#}
    select
        -- ids
        videos.video_id,
        videos.source_row_position,

        -- strings
        videos.source_file,

        -- dates
        videos.export_date
    from videos
    left join duplicate_video_ids
        on
            videos.source_file = duplicate_video_ids.source_file
            and videos.video_id = duplicate_video_ids.video_id
    where
        not videos.is_rejected
        and (
            duplicate_video_ids.video_id is null
            or videos.source_row_position
            = duplicate_video_ids.kept_row_position
        )
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

summarized as (
    select
        -- ids
        video_id,
        max_by(source_row_position, source_file) as current_row_position,

        -- strings
        max(source_file) as current_source_file,

        -- numerics
        count(*) as export_count,

        -- dates
        min(export_date) as first_export_date,
        max_by(export_date, source_file) as latest_export_date
    from looked_up_versions
    group by video_id
    having count(*) > 1
)

select * from summarized
