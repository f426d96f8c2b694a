{#- Spark's save_export_parse_errors: the rows of the batch's CSV files that did not parse (too few or too many fields, a value that is no number), one per row, with their file; refuses a file with no rows. -#}
{% macro spark__save_export_parse_errors() -%}
    {%- set errors = this.incorporate(path={'identifier': 'tiktok_export_parse_errors'}) -%}
    {%- set csv_files = [] -%}
    {%- for file in export_batch() if file.format == 'csv' -%}
        {#- The external table that raw.tiktok_export read (load_export). -#}
        {%- set export_file = spark__export_file_relation(file.position) -%}
        {%- set table_columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(export_file) -%}
            {%- do table_columns.append(column.name) -%}
        {%- endfor -%}
        {%- set layout = spark__export_file_layout(export_file, table_columns) -%}
        {%- do csv_files.append({
            'name': file.name,
            'layout': layout,
            'typed': spark__export_typed_columns(layout),
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
                        {{ spark__export_not_a_number(column, type, layout) }}
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
                        {{ spark__export_typed('source_row_number', 'bigint', layout) }}
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
