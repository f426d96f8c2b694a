{#- Reads one export file (CSV, gzipped CSV or Parquet) typed, under the canonical names, detecting its format; fails naming the file, line and column. -#}

{% macro load_export(file) -%}
    {#- `file`: a dict of the batch (path, name, position, export_date). -#}
    {{ return(adapter.dispatch('load_export', 'tiktok_claims')(file)) }}
{%- endmacro %}

{% macro duckdb__load_export(file) -%}
    {%- set layout = duckdb__export_layout(file.path, file.position) -%}
    {%- set types = export_column_types() -%}

    select
        -- ids
        {{ sql_string_literal(file.name) }} as source_file,
        cast({{ sql_string_literal(file.export_date) }} as date) as export_date,
        {% if layout.row_number_column -%}
            cast({{ adapter.quote(layout.row_number_column) }} as bigint)
        {%- else -%}
            {#- No row-number column: the row's position among the parsed rows
                (a window that serializes the read; exports have a `#`). -#}
            cast(row_number() over () as bigint)
        {%- endif %} as source_row_number,
        {% for column in export_columns() -%}
            {%- set value = adapter.quote(layout.names[column]) -%}
            {%- if layout.is_parquet -%}
                {%- set value = 'cast(' ~ value ~ ' as ' ~ types[column] ~ ')' -%}
            {%- elif column == 'video_transcription_text' -%}
                {#- The reader leaves a backslash-escaped quote in an unquoted
                    field as it is: unescape it (speech has no backslashes). -#}
                {%- set value = 'replace(' ~ value ~ ', chr(92) || chr(34), chr(34))' -%}
            {%- endif %}
            {{ value }} as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ layout.reader }}
{%- endmacro %}

{% macro export_column_types() -%}
    {#- The type each column is read as: counts and durations as doubles, so that
        343296.0 reads and a fraction can be named as such downstream. -#}
    {%- set types = {
        'claim_status': 'varchar',
        'video_id': 'bigint',
        'video_duration_sec': 'double',
        'video_transcription_text': 'varchar',
        'verified_status': 'varchar',
        'author_ban_status': 'varchar',
    } -%}
    {%- for column in count_columns() -%}
        {%- do types.update({column: 'double'}) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}

{% macro duckdb__export_layout(path, position=1) -%}
    {#- What the file holds: its reader call, its column names by canonical name,
        its row-number column and that column's 1-based position. -#}
    {%- set file = sql_string_literal(path) -%}
    {%- set found = run_query('select count(*) from glob(' ~ file ~ ')').columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw_videos_path: there is no file at '" ~ path ~ "'. "
            ~ "Give the absolute path of a CSV or Parquet export."
        ) }}
    {%- endif -%}

    {%- set is_parquet = export_format(path) == 'parquet' -%}
    {%- if is_parquet -%}
        {%- set text_reader = 'read_parquet(' ~ file ~ ')' -%}
    {%- else -%}
        {%- set sniffed = run_query('select Escape from sniff_csv(' ~ file ~ ', ignore_errors = true)') -%}
        {%- set escape = '\\' if sniffed and sniffed.columns[0].values()[0] == '\\' else '"' -%}
        {%- set nulls = [] -%}
        {%- for value in export_null_strings() -%}
            {%- do nulls.append(sql_string_literal(value)) -%}
        {%- endfor -%}
        {%- set dialect = "header = true, delim = ',', quote = '\"', escape = "
            ~ sql_string_literal(escape) ~ ", nullstr = [" ~ nulls | join(', ') ~ "]" -%}
        {%- set text_reader = 'read_csv(' ~ file ~ ', ' ~ dialect ~ ', all_varchar = true, ignore_errors = true)' -%}
    {%- endif -%}

    {%- set header = run_query('describe select * from ' ~ text_reader).columns[0].values() -%}
    {%- set layout = export_header_layout(path, header) -%}
    {%- set names = layout.names -%}
    {%- set row_number_column = layout.row_number_column -%}
    {%- set row_number_position = layout.row_number_position -%}

    {%- if is_parquet -%}
        {%- set reader = text_reader -%}
    {%- else -%}
        {#- Typed by the reader itself: a value that is no number is kept aside
            with its line and column (store_rejects), like a row with too few or
            too many fields; the rest of the file goes on. -#}
        {%- set types = export_column_types() -%}
        {%- set columns = [] -%}
        {%- for original in header -%}
            {%- set normalized = original | replace('\ufeff', '') | trim | lower -%}
            {%- if original == row_number_column -%}
                {%- set type = 'bigint' -%}
            {%- else -%}
                {%- set type = types.get(normalized, 'varchar') -%}
            {%- endif -%}
            {%- do columns.append(sql_string_literal(original) ~ ": '" ~ type ~ "'") -%}
        {%- endfor -%}
        {%- set reader = 'read_csv(' ~ file ~ ', ' ~ dialect
            ~ ', columns = {' ~ columns | join(', ') ~ '}'
            ~ ", store_rejects = true"
            ~ ", rejects_table = 'tiktok_export_reject_errors_" ~ position ~ "'"
            ~ ", rejects_scan = 'tiktok_export_reject_scans_" ~ position ~ "')" -%}
    {%- endif -%}

    {{ return({
        'reader': reader,
        'names': names,
        'is_parquet': is_parquet,
        'row_number_column': row_number_column,
        'row_number_position': row_number_position,
    }) }}
{%- endmacro %}
