{#- Post-hook of stg_tiktok__videos, the model that reads the file: keeps the rows the reader could not parse, one per line, and refuses unusable files. -#}
{% macro save_export_parse_errors() -%}
    {{ return(adapter.dispatch('save_export_parse_errors', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro default__save_export_parse_errors() -%}
    {{ exceptions.raise_compiler_error(
        "save_export_parse_errors has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__save_export_parse_errors (macros/loading/)"
    ) }}
{%- endmacro %}

{% macro duckdb__save_export_parse_errors() -%}
    {%- set errors = this.incorporate(path={'identifier': 'tiktok_export_parse_errors'}) -%}
    {%- set csv_files = [] -%}
    {%- for file in export_batch() if file.format == 'csv' -%}
        {%- do file.update({
            'row_number_position': export_layout(file.path, file.position).row_number_position
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

{#- Spark's save_export_parse_errors: the rows of the batch's CSV files that did not parse (too few or too many fields, a value that is no number), one per row, with their file; refuses a file with no rows. -#}
{% macro spark__save_export_parse_errors() -%}
    {%- set errors = this.incorporate(path={'identifier': 'tiktok_export_parse_errors'}) -%}
    {%- set csv_files = [] -%}
    {%- for file in export_batch() if file.format == 'csv' -%}
        {#- The external table that raw.tiktok_export read (load_export). -#}
        {%- set export_file = spark_export_file_relation(file.position) -%}
        {%- set table_columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(export_file) -%}
            {%- do table_columns.append(column.name) -%}
        {%- endfor -%}
        {%- set layout = spark_export_file_layout(export_file, table_columns) -%}
        {%- do csv_files.append({
            'name': file.name,
            'layout': layout,
            'typed': spark_export_typed_columns(layout),
        }) -%}
    {%- endfor -%}

    {#- Spark replaces no plain (non-Delta) table in place: drop, then create. -#}
    {%- call statement('drop_parse_errors') -%}
        drop table if exists {{ errors }}
    {%- endcall -%}
    {%- call statement('save_parse_errors') -%}
        create table {{ errors }} using parquet as
        {% for file in csv_files %}
            {%- set layout, typed = file.layout, file.typed %}
            select * from (
            with

            file_rows as (
                select
                    *,
                    _corrupt_record is not null as is_malformed,
                    {% for column, type in typed -%}
                        {{ spark_export_not_a_number(column, type, layout) }}
                            as {{ column }}__is_not_a_number
                        {%- if not loop.last %},{% endif %}
                    {% endfor %}
                from {{ layout.relation }}
            ),

            errors as (
                select
                    {{ sql_string_literal(file.name) }} as source_file,
                    cast(null as bigint) as source_line,
                    {% if layout.has_row_number -%}
                        {{ spark_export_typed('source_row_number', 'bigint', layout) }}
                    {%- else -%}
                        cast(null as bigint)
                    {%- endif %} as source_row_number,
                    case
                        when is_malformed then '*'
                        {% for column, type in typed -%}
                            when {{ column }}__is_not_a_number
                                then '{{ column }}'
                        {% endfor %}
                    end as rejected_column,
                    case
                        when is_malformed then null
                        {% for column, type in typed -%}
                            when {{ column }}__is_not_a_number
                                then {{ layout.columns[column] }}
                        {% endfor %}
                    end as rejected_value,
                    case
                        when is_malformed
                            then 'the row does not have as many fields as the header'
                        {% for column, type in typed -%}
                            when {{ column }}__is_not_a_number
                                then '{{ column }} is not a number'
                        {% endfor %}
                    end as rejection_reason,
                    case
                        when is_malformed then 'MALFORMED RECORD' else 'CAST'
                    end as error_type,
                    {#- Spark keeps the raw line of a malformed row only; a row
                        with a value that is no number is written back as CSV. -#}
                    coalesce(
                        _corrupt_record,
                        to_csv(
                            named_struct(
                                {% for column in layout.file_columns -%}
                                    '{{ column }}', `{{ column }}`
                                    {%- if not loop.last %},{% endif %}
                                {% endfor %}
                            ),
                            map('escape', '"')
                        )
                    ) as raw_line
                from file_rows
                where
                    is_malformed
                    {% for column, type in typed -%}
                        or {{ column }}__is_not_a_number
                    {% endfor %}
            )

            select * from errors
            )
            union all
        {% endfor %}
            select
                cast(null as string) as source_file,
                cast(null as bigint) as source_line,
                cast(null as bigint) as source_row_number,
                cast(null as string) as rejected_column,
                cast(null as string) as rejected_value,
                cast(null as string) as rejection_reason,
                cast(null as string) as error_type,
                cast(null as string) as raw_line
            where false
    {%- endcall -%}

    {%- if execute -%}
        {%- for file in export_batch() -%}
            {%- set name = sql_string_literal(file.name) -%}
            {%- set counts = run_query(
                'select (select count(*) from ' ~ this ~ ' where source_file = '
                ~ name ~ '), (select count(*) from ' ~ errors
                ~ ' where source_file = ' ~ name ~ ')'
            ).rows[0] -%}
            {%- if counts[0] == 0 and counts[1] == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "export '" ~ file.path ~ "': the file has a header but no "
                    ~ "rows of data."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
