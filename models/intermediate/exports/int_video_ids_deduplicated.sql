{#-
    One row per (export file, video_id) that more than one valid row of that
    file carries: the row kept, whole (the first in the file by `#`; of rows
    that repeat the same `#`, one), and how many rows share the id. Small,
    appended to once per run from the new files only: every reader of the
    cleaned rows takes these rows from here and the other rows from staging,
    with no ranking of all rows. (A video in several files is not a
    duplicate: it is a newer version, settled in int_video_versions.)
-#}
{#- Most exports repeat no id: then the rows are not read a second time. -#}
{%- set repeats = 1 -%}
{%- if execute -%}
    {%- set repeats = run_query(
        'select count(*) from (select 1 from ' ~ ref('stg_tiktok__videos')
        ~ ' where not is_rejected and ' ~ export_batch_filter()
        ~ ' group by video_id, source_file having count(*) > 1)'
    ).columns[0].values()[0] -%}
{%- endif %}

with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
    where {{ export_batch_filter() }}
),

repeated_ids as (
    select
        -- ids
        video_id,

        -- strings
        source_file,

        -- numerics
        count(*) as row_count
    from videos
    where not is_rejected
    group by 1, 2
    having count(*) > 1
),

repeated_rows as (
    select
        videos.*,
        repeated_ids.row_count
    from videos
    inner join repeated_ids
        on
            videos.source_file = repeated_ids.source_file
            and videos.video_id = repeated_ids.video_id
    where not videos.is_rejected and {{ 'true' if repeats else 'false' }}
),

kept_rows as (
    select * from repeated_rows
    qualify
        row_number() over (
            partition by source_file, video_id
            order by source_row_number
        ) = 1
)

select * from kept_rows
