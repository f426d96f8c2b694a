{#-
    One row per export file this run loads (the batch), oldest first: files
    named by raw_videos_path that the load ledger (intermediate.int_export_files_loaded) does
    not hold yet. Decided here, once per run, by exports_to_load(), which
    skips files loaded before and refuses changed or out-of-order ones. Every
    incremental model reads only the rows of these files.
-#}
{%- set files = exports_to_load() if execute else [] %}

with

batch as (
    {#- Typed, empty: the columns of a run that loads no file. -#}
    select
        -- strings
        cast(null as string) as source_file,
        cast(null as string) as file_path,

        -- numerics
        cast(null as bigint) as file_size,
        cast(null as integer) as batch_position,

        -- dates
        cast(null as date) as export_date,

        -- timestamps
        cast(null as timestamp) as file_modified_at
    where false
    {% for file in files %}
        union all
        select
            {{ sql_string_literal(file.name) }},
            {{ sql_string_literal(file.path) }},
            {{ file.size }},
            {{ loop.index }},
            cast({{ sql_string_literal(file.export_date) }} as date),
            cast({{ sql_string_literal(file.modified_at) }} as timestamp)
    {% endfor %}
)

select * from batch
