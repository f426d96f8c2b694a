{#- Post-hook of stg_tiktok__videos, the model that reads the file: keeps the rows the reader could not parse, one per line, and refuses unusable files. -#}
{% macro save_export_parse_errors() -%}
    {{ return(adapter.dispatch('save_export_parse_errors', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro duckdb__save_export_parse_errors() -%}
    {%- set errors = this.incorporate(path={'identifier': 'tiktok_export_parse_errors'}) -%}
    {%- set path = var('raw_videos_path') -%}
    {%- set from_csv = path and not (path | string | lower).endswith('.parquet') -%}

    {%- if from_csv and execute -%}
        {%- set position = duckdb__export_layout(path).row_number_position -%}
    {%- endif -%}
    {%- call statement('save_parse_errors') -%}
        create or replace table {{ errors }} as
        {% if from_csv %}
            with

            errors as (
                select
                    line,
                    arg_min(column_name, column_idx) as column_name,
                    arg_min(cast(error_type as varchar), column_idx)
                        as error_type,
                    arg_min(error_message, column_idx) as error_message,
                    min(csv_line) as csv_line
                from tiktok_export_reject_errors
                where
                    scan_id = (
                        select max(scan_id) from tiktok_export_reject_scans
                    )
                group by 1
            )

            select
                cast(line as bigint) as source_line,
                {% if position -%}
                    try_cast(
                        split_part(csv_line, ',', {{ position }}) as bigint
                    )
                {%- else -%}
                    cast(null as bigint)
                {%- endif %} as source_row_number,
                coalesce(column_name, '*') as rejected_column,
                case
                    when error_type = 'CAST'
                        then regexp_extract(
                            error_message,
                            'Could not convert string "(.*)" to', 1
                        )
                end as rejected_value,
                case error_type
                    when 'CAST' then column_name || ' is not a number'
                    when 'MISSING COLUMNS'
                        then 'the row has fewer fields than the header'
                    when 'TOO MANY COLUMNS'
                        then 'the row has more fields than the header'
                    else 'the reader could not parse the row: '
                        || error_message
                end as rejection_reason,
                error_type,
                csv_line as raw_line
            from errors
        {% else %}
            select
                cast(null as bigint) as source_line,
                cast(null as bigint) as source_row_number,
                cast(null as varchar) as rejected_column,
                cast(null as varchar) as rejected_value,
                cast(null as varchar) as rejection_reason,
                cast(null as varchar) as error_type,
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
                'select rejected_column, rejection_reason, error_type from '
                ~ errors ~ ' where source_line = ' ~ last_error_line
            ).rows[0] -%}
        {%- endif -%}
        {%- if last is defined and last[2] == 'MISSING COLUMNS' -%}
            {{ exceptions.raise_compiler_error(
                "raw_videos_path '" ~ path ~ "', line " ~ last_error_line
                ~ ", column " ~ last[0] ~ ": the last row is incomplete ("
                ~ last[1] ~ "). The file looks truncated: export it again."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
