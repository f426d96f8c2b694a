{#-
    One row per input row that parses: the export, typed by the reader (counts
    and durations as doubles), under the canonical column names, from the embedded seed or from the file named by the
    `raw_videos_path` var (read by the engine's own reader, format detected).
    A view: the file is read once, when stg_tiktok__videos is built; rows the
    reader cannot split into fields go to staging.tiktok_export_parse_errors.
    Engines whose seed loader cannot take the seed (Spark) read its CSV as a
    file instead (embedded_export_path).
-#}
{%- set path = var('raw_videos_path') or embedded_export_path() -%}
{% if path %}

    {{ load_export(path) }}

{% else %}

    {%- set types = export_column_types() %}
    select
        cast({{ adapter.quote('#') }} as bigint) as source_row_number,
        {% for column in export_columns() %}
            cast({{ column }} as {{ types[column] }}) as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('tiktok_dataset') }}

{% endif %}
