{#-
    The quarantine. One row per input row kept out of the marts, with the
    offending column, its value as read and the reason: rows that fail a check
    in stg_tiktok__videos, and rows the reader could not split into fields.
-#}
with

checked_rows as (
    select * from {{ ref('stg_tiktok__videos') }}
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
        rejected_column,
        rejected_value,
        rejection_reason,
        cast(null as varchar) as raw_line
    from checked_rows
    where is_rejected
),

unparsed_rows as (
    select
        -- ids
        cast(null as bigint) as source_row_number,
        source_line,
        cast(null as bigint) as video_id,

        -- strings
        rejected_column,
        cast(null as varchar) as rejected_value,
        'the row does not have the expected fields ('
        || lower(error_type) || ')' as rejection_reason,
        raw_line
    from parse_errors
),

quarantine as (
    select * from rejected_rows
    union all
    select * from unparsed_rows
)

select * from quarantine
