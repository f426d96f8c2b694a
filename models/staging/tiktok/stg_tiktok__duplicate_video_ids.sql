{#-
    One row per (export file, video_id) that more than one valid row of that
    file carries: the row kept (the first in the file, by position) and how many rows share
    the id. Small, and appended to once per run from the new files only, so
    that every reader of the cleaned rows joins a handful of ids instead of
    ranking all rows. (A video in several files is not a duplicate: it is a
    newer version, settled in int_video_versions.)
-#}
with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
    where {{ export_batch_filter() }}
),

repeated as (
    select
        -- ids
        video_id,
        min_by(source_row_number, source_row_position) as kept_row_number,
        min(source_row_position) as kept_row_position,

        -- strings
        source_file,

        -- numerics
        count(*) as row_count
    from videos
    where not is_rejected
    group by video_id, source_file
    having count(*) > 1
)

select * from repeated
