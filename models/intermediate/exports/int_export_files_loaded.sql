{#-
    The load ledger: one row per export file loaded, appended to by the run
    that loads it. What was read (file name and path, size, modification time,
    a checksum of its bytes, its export date), what became of its rows (read,
    accepted, quarantined), and when and by which dbt invocation it was loaded.
    raw.tiktok_export_files consults it to skip a file loaded before and to
    refuse one whose content changed; export_parts lists the Parquet parts of
    the invocations it names.
-#}
with

export_files as (
    select * from {{ ref('tiktok_export_files') }}
),

videos as (
    select * from {{ ref('stg_tiktok__videos') }}
    where {{ export_batch_filter() }}
),

quarantine as (
    select * from {{ ref('int_export_rows_quarantined') }}
    where {{ export_batch_filter() }}
),

parse_errors as (
    select * from {{ source('tiktok_loader', 'tiktok_export_parse_errors') }}
),

parsed_counts as (
    select
        source_file,
        count(*) as row_count
    from videos
    group by 1
),

unparsed_counts as (
    select
        source_file,
        count(*) as row_count
    from parse_errors
    group by 1
),

row_checksums as (
    select
        source_file,
        {{ export_rows_checksum() }} as checksum  -- noqa: RF04
    from videos
    group by 1
),

line_checksums as (
    select
        source_file,
        {{ export_lines_checksum('raw_line') }} as checksum  -- noqa: RF04
    from parse_errors
    group by 1
),

quarantined_counts as (
    select
        source_file,
        count(*) as row_count
    from quarantine
    group by 1
),

ledger as (
    select
        -- ids
        cast({{ sql_string_literal(invocation_id) }} as string)
            as invocation_id,

        -- strings
        export_files.source_file,
        export_files.file_path,
        {{ export_checksum_text(
            'row_checksums.checksum', 'line_checksums.checksum'
        ) }} as checksum,  -- noqa: RF04

        -- numerics
        export_files.file_size,
        coalesce(parsed_counts.row_count, 0)
        + coalesce(unparsed_counts.row_count, 0) as rows_read,
        coalesce(parsed_counts.row_count, 0)
        + coalesce(unparsed_counts.row_count, 0)
        - coalesce(quarantined_counts.row_count, 0) as rows_accepted,
        coalesce(quarantined_counts.row_count, 0) as rows_quarantined,

        -- dates
        export_files.export_date,

        -- timestamps
        export_files.file_modified_at,
        {%- set started = run_started_at.strftime('%Y-%m-%d %H:%M:%S') %}
        cast({{ sql_string_literal(started) }} as timestamp) as loaded_at
    from export_files
    left join parsed_counts
        on export_files.source_file = parsed_counts.source_file
    left join unparsed_counts
        on export_files.source_file = unparsed_counts.source_file
    left join quarantined_counts
        on export_files.source_file = quarantined_counts.source_file
    left join row_checksums
        on export_files.source_file = row_checksums.source_file
    left join line_checksums
        on export_files.source_file = line_checksums.source_file
)

select * from ledger
