{#- Post-hook of raw.tiktok_export: keeps the rows the reader could not parse, one per line, and refuses unusable files. -#}
{% macro save_export_parse_errors() -%}
    {{ return(adapter.dispatch('save_export_parse_errors', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro duckdb__save_export_parse_errors() -%}
    {%- set errors = this.incorporate(path={'identifier': 'tiktok_export_parse_errors'}) -%}
    {%- set path = var('raw_videos_path') -%}
    {%- set from_csv = path and not (path | string | lower).endswith('.parquet') -%}

    {%- call statement('save_parse_errors') -%}
        create or replace table {{ errors }} as
        {% if from_csv %}
            select
                cast(line as bigint) as source_line,
                coalesce(arg_min(column_name, column_idx), '*')
                    as rejected_column,
                string_agg(distinct cast(error_type as varchar), '; ')
                    as error_type,
                min(error_message) as error_message,
                min(csv_line) as raw_line
            from tiktok_export_reject_errors
            where scan_id = (select max(scan_id) from tiktok_export_reject_scans)
            group by 1
        {% else %}
            select
                cast(null as bigint) as source_line,
                cast(null as varchar) as rejected_column,
                cast(null as varchar) as error_type,
                cast(null as varchar) as error_message,
                cast(null as varchar) as raw_line
            where false
        {% endif %}
    {%- endcall -%}

    {%- if execute and path -%}
        {%- set counts = run_query(
            'select (select count(*) from ' ~ this ~ '), '
            ~ '(select count(*) from ' ~ errors ~ '), '
            ~ '(select max(source_line) from ' ~ errors ~ ')'
        ).rows[0] -%}
        {%- set parsed, unparsed, last_error_line = counts[0], counts[1], counts[2] -%}
        {%- if parsed == 0 and unparsed == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw_videos_path '" ~ path ~ "': the file has a header but no "
                ~ "rows of data."
            ) }}
        {%- endif -%}
        {%- if from_csv and last_error_line is not none
            and last_error_line == 1 + parsed + unparsed -%}
            {%- set last = run_query(
                'select rejected_column, error_type from ' ~ errors
                ~ ' where source_line = ' ~ last_error_line
            ).rows[0] -%}
            {{ exceptions.raise_compiler_error(
                "raw_videos_path '" ~ path ~ "', line " ~ last_error_line
                ~ ", column " ~ last[0] ~ ": the last row is incomplete ("
                ~ last[1] | lower ~ "). The file looks truncated: export it again."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
