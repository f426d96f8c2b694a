{#-
    One row per input row that parses: the export as text under the canonical
    column names, from the embedded seed or from the file named by the
    `raw_videos_path` var (read by the engine's own reader, format detected).
    Rows the reader cannot split into fields go to tiktok_export_parse_errors.
-#}
{% if var('raw_videos_path') %}

    {{ load_export(var('raw_videos_path')) }}

{% else %}

    select
        cast({{ adapter.quote('#') }} as varchar) as source_row_number,
        {% for column in export_columns() %}
            cast({{ column }} as varchar) as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('tiktok_dataset') }}

{% endif %}
