{#-
    Reconciliation: every row that entered (parsed into staging, or not)
    is either a clean video or in the quarantine. Returns a row if not.
-#}
with

input_rows as (
    select
        (select count(*) from {{ ref('stg_tiktok__videos') }})
        + (
            select count(*)
            from {{ source('tiktok_loader', 'tiktok_export_parse_errors') }}
        ) as row_count
),

accounted_rows as (
    select
        (select count(*) from {{ ref('int_videos_cleaned') }})
        + (select count(*) from {{ ref('rejected_videos') }}) as row_count
)

select
    input_rows.row_count as input_row_count,
    accounted_rows.row_count as accounted_row_count
from input_rows
cross join accounted_rows
where input_rows.row_count != accounted_rows.row_count
