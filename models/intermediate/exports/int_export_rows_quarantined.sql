{#-
    The quarantine. One row per input row kept out of the marts, with its
    export file, the offending column, its value as read and the reason: rows
    that fail a check in stg_tiktok__videos, later copies of a video_id
    repeated within one file, and rows the reader could not parse (a value
    that is no number, too few or too many fields). Appended to once per run,
    from the new files only.
-#}
with

checked_rows as (
    select * from {{ ref('stg_tiktok__videos') }}
    where {{ export_batch_filter() }}
),

duplicate_video_ids as (
    select * from {{ ref('int_video_ids_deduplicated') }}
    where {{ export_batch_filter() }}
),

parse_errors as (
    select * from {{ source('tiktok_loader', 'tiktok_export_parse_errors') }}
),

rejected_rows as (
    select
        -- ids
        source_row_number,
        cast(null as bigint) as source_line,
        video_id,

        -- strings
        source_file,
        rejected_column,
        rejected_value,
        rejection_reason,
        cast(null as string) as raw_line
    from checked_rows
    where is_rejected
),

later_copies as (
    {#- The rows of a repeated video_id other than the one kept: ranked
        among the few rows that share an id only. -#}
    select
        -- ids
        checked_rows.source_row_number,
        cast(null as bigint) as source_line,
        checked_rows.video_id,

        -- strings
        checked_rows.source_file,
        'video_id' as rejected_column,
        cast(checked_rows.video_id as string) as rejected_value,
        'duplicate video_id: row '
        || cast(duplicate_video_ids.source_row_number as string)
        || ' has it and is kept' as rejection_reason,
        cast(null as string) as raw_line
    from checked_rows
    inner join duplicate_video_ids
        on
            checked_rows.source_file = duplicate_video_ids.source_file
            and checked_rows.video_id = duplicate_video_ids.video_id
    where not checked_rows.is_rejected
    qualify
        row_number() over (
            partition by checked_rows.source_file, checked_rows.video_id
            order by checked_rows.source_row_number
        ) > 1
),

unparsed_rows as (
    select
        -- ids
        source_row_number,
        source_line,
        cast(null as bigint) as video_id,

        -- strings
        source_file,
        rejected_column,
        rejected_value,
        rejection_reason,
        raw_line
    from parse_errors
),

quarantine as (
    select * from rejected_rows
    union all
    select * from later_copies
    union all
    select * from unparsed_rows
)

select * from quarantine
