{#-
    One row per export file this run loads (the batch), oldest first: files
    named by raw_videos_path that the load ledger (staging.export_ledger) does
    not hold yet. Decided here, once per run, by exports_to_load(), which
    skips files loaded before and refuses changed or out-of-order ones. Every
    incremental model reads only the rows of these files.
-#}
{%- set files = exports_to_load() if execute else [] %}

with

batch as (
    {% for file in files %}
        select
            -- strings
            {{ sql_string_literal(file.name) }} as source_file,
            {{ sql_string_literal(file.path) }} as file_path,

            -- numerics
            cast({{ file.size }} as bigint) as file_size,
            cast({{ loop.index }} as integer) as batch_position,

            -- dates
            cast({{ sql_string_literal(file.export_date) }} as date)
                as export_date,

            -- timestamps
            cast({{ sql_string_literal(file.modified_at) }} as timestamp)
                as file_modified_at
        {% if not loop.last %}union all{% endif %}
    {% else %}
        select
            cast(null as string) as source_file,
            cast(null as string) as file_path,
            cast(null as bigint) as file_size,
            cast(null as integer) as batch_position,
            cast(null as date) as export_date,
            cast(null as timestamp) as file_modified_at
        where false
    {% endfor %}
)

select * from batch
