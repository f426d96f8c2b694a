{#-
    One row per input row that parses, from the files this run loads
    (raw.tiktok_export_files): each file read by the engine's own reader,
    typed (counts and durations as doubles), under the canonical column names,
    with its file name and export date. A view: the files are read once, when
    stg_tiktok__videos is built; rows the reader cannot split into fields go
    to staging.tiktok_export_parse_errors. Empty when no file is new.
-#}
-- depends_on: {{ ref('tiktok_export_files') }}
{%- set files = export_batch() %}
{%- set types = export_column_types() %}

{% for file in files %}
    {{ load_export(file) }}
    {% if not loop.last %}union all{% endif %}
{% else %}
    select
        cast(null as string) as source_file,
        cast(null as date) as export_date,
        cast(null as bigint) as source_row_number,
        {#- In the engine's type names (export_column_types). -#}
        {% for column in export_columns() %}
            cast(null as {{ types[column] }})
                as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    where false
{% endfor %}
