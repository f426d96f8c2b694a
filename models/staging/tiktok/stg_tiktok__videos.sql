{#-
    One row per parsed input row of every export loaded: the export typed
    (whole numbers as BIGINT), `#` renamed source_row_number, enum values
    trimmed and lower-cased, and each row's first problem named in
    rejection_reason (null for a valid row). Checks run in the order below.
    Repeated video_ids among valid rows of one file are settled in
    int_video_ids_deduplicated. The one relation that holds the
    transcripts: each export is read into it once, on the run that loads it
    (materialization export_parts on DuckDB, an appending table on Spark).
-#}

{{ config(materialized=export_rows_materialization()) }}

{{ stage_export_rows(ref('tiktok_export')) }}
