{#- Post-hook of stg_tiktok__videos, the model that reads the file: keeps the rows the reader could not parse, one per line, and refuses unusable files. -#}
{% macro save_export_parse_errors() -%}
    {{ return(adapter.dispatch('save_export_parse_errors', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro duckdb__save_export_parse_errors() -%}
    {%- set errors = this.incorporate(path={'identifier': 'tiktok_export_parse_errors'}) -%}
    {%- set csv_files = [] -%}
    {%- for file in export_batch() if file.format == 'csv' -%}
        {%- do file.update({
            'row_number_position': duckdb__export_layout(file.path, file.position).row_number_position
        }) -%}
        {%- do csv_files.append(file) -%}
    {%- endfor -%}
    {%- call statement('save_parse_errors') -%}
        create or replace table {{ errors }} as
        {% for file in csv_files %}
            {%- set position = file.row_number_position %}
            select
                {{ sql_string_literal(file.name) }} as source_file,
                cast(errors.line as bigint) as source_line,
                {% if position -%}
                    try_cast(
                        split_part(errors.csv_line, ',', {{ position }}) as bigint
                    )
                {%- else -%}
                    cast(null as bigint)
                {%- endif %} as source_row_number,
                coalesce(errors.column_name, '*') as rejected_column,
                case
                    when errors.error_type = 'CAST'
                        then regexp_extract(
                            errors.error_message,
                            'Could not convert string "(.*)" to', 1
                        )
                end as rejected_value,
                case errors.error_type
                    when 'CAST' then errors.column_name || ' is not a number'
                    when 'MISSING COLUMNS'
                        then 'the row has fewer fields than the header'
                    when 'TOO MANY COLUMNS'
                        then 'the row has more fields than the header'
                    else 'the reader could not parse the row: '
                        || errors.error_message
                end as rejection_reason,
                errors.error_type,
                errors.csv_line as raw_line
            from (
                select
                    line,
                    arg_min(column_name, column_idx) as column_name,
                    arg_min(cast(error_type as varchar), column_idx)
                        as error_type,
                    arg_min(error_message, column_idx) as error_message,
                    min(csv_line) as csv_line
                from tiktok_export_reject_errors_{{ file.position }}
                where
                    scan_id = (
                        select max(scan_id)
                        from tiktok_export_reject_scans_{{ file.position }}
                    )
                group by 1
            ) as errors
            union all
        {% endfor %}
        select
            cast(null as varchar) as source_file,
            cast(null as bigint) as source_line,
            cast(null as bigint) as source_row_number,
            cast(null as varchar) as rejected_column,
            cast(null as varchar) as rejected_value,
            cast(null as varchar) as rejection_reason,
            cast(null as varchar) as error_type,
            cast(null as varchar) as raw_line
        where false
    {%- endcall -%}

    {%- if execute -%}
        {%- for file in export_batch() -%}
            {%- set counts = run_query(
                'select (select count(*) from ' ~ this ~ ' where source_file = '
                ~ sql_string_literal(file.name) ~ '), '
                ~ '(select count(*) from ' ~ errors ~ ' where source_file = '
                ~ sql_string_literal(file.name) ~ '), '
                ~ '(select max(source_line) from ' ~ errors ~ ' where source_file = '
                ~ sql_string_literal(file.name) ~ ')'
            ).rows[0] -%}
            {%- set parsed, unparsed, last_error_line = counts[0], counts[1], counts[2] -%}
            {%- if parsed == 0 and unparsed == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "export '" ~ file.path ~ "': the file has a header but no "
                    ~ "rows of data."
                ) }}
            {%- endif -%}
            {%- if file.format == 'csv' and last_error_line is not none
                and last_error_line == 1 + parsed + unparsed -%}
                {%- set last = run_query(
                    'select rejected_column, rejection_reason, error_type from '
                    ~ errors ~ ' where source_file = ' ~ sql_string_literal(file.name)
                    ~ ' and source_line = ' ~ last_error_line
                ).rows[0] -%}
                {%- if last[2] == 'MISSING COLUMNS' -%}
                    {{ exceptions.raise_compiler_error(
                        "export '" ~ file.path ~ "', line " ~ last_error_line
                        ~ ", column " ~ last[0] ~ ": the last row is incomplete ("
                        ~ last[1] ~ "). The file looks truncated: export it again."
                    ) }}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
