{#-
    Reconciliation, per export file this run loads: every row that entered
    (parsed into staging, or not) is either accepted, as the version of its
    video in that file, or in the quarantine, and the ledger says so. Returns
    the files where the counts differ.
-#}
with

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
    where {{ export_batch_filter() }}
),

parse_errors as (
    select * from {{ source('tiktok_loader', 'tiktok_export_parse_errors') }}
),

quarantine as (
    select * from {{ ref('int_export_rows_quarantined') }}
    where {{ export_batch_filter() }}
),

ledger as (
    select * from {{ ref('int_export_files_loaded') }}
    where {{ export_batch_filter() }}
),

input_rows as (
    select
        source_file,
        count(*) as row_count
    from (
        select source_file from videos
        union all
        select source_file from parse_errors
    ) as read_rows
    group by 1
),

accepted_rows as (
    {#- One version per video and file, however many valid rows carry it. -#}
    select
        source_file,
        count(*) as row_count
    from (
        select distinct
            source_file,
            video_id
        from videos
        where not is_rejected
    ) as versions
    group by 1
),

quarantined_rows as (
    select
        source_file,
        count(*) as row_count
    from quarantine
    group by 1
),

reconciled as (
    select
        ledger.source_file,
        ledger.rows_read,
        ledger.rows_accepted,
        ledger.rows_quarantined,
        coalesce(input_rows.row_count, 0) as input_row_count,
        coalesce(accepted_rows.row_count, 0) as accepted_row_count,
        coalesce(quarantined_rows.row_count, 0) as quarantined_row_count
    from ledger
    left join input_rows on ledger.source_file = input_rows.source_file
    left join accepted_rows on ledger.source_file = accepted_rows.source_file
    left join quarantined_rows
        on ledger.source_file = quarantined_rows.source_file
)

select * from reconciled
where
    input_row_count != accepted_row_count + quarantined_row_count
    or rows_read != input_row_count
    or rows_accepted != accepted_row_count
    or rows_quarantined != quarantined_row_count
