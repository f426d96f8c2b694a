{#-
    One row per video_id that more than one valid input row carries: the row
    kept (the first in the file) and how many rows share it. Small: computed
    once from two columns, so that every reader of the cleaned rows joins a
    handful of ids instead of ranking ten million rows.
-#}
with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
),

repeated as (
    select
        -- ids
        video_id,
        min(source_row_number) as kept_row_number,

        -- numerics
        count(*) as row_count
    from videos
    where not is_rejected
    group by 1
    having count(*) > 1
)

select * from repeated
