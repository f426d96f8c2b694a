{#- Reads one export file (CSV, gzipped CSV or Parquet) typed, under the canonical names, detecting its format; fails naming the file, line and column. -#}

{% macro load_export(file) -%}
    {#- `file`: a dict of the batch (path, name, position, export_date). -#}
    {{ return(adapter.dispatch('load_export', 'tiktok_claims')(file)) }}
{%- endmacro %}

{% macro default__load_export(file) -%}
    {{ exceptions.raise_compiler_error(
        "load_export has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__load_export (macros/loading/)"
    ) }}
{%- endmacro %}

{% macro duckdb__load_export(file) -%}
    {%- set layout = export_layout(file.path, file.position) -%}
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
    {{ return(adapter.dispatch('export_column_types', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro default__export_column_types() -%}
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

{% macro export_layout(path, position=1) -%}
    {#- What the export file at `path` (the batch's `position`-th) holds and
        where the engine reads it from: a dict whose keys the engine's
        load_export knows. Fails naming the file when it cannot be read. -#}
    {{ return(adapter.dispatch('export_layout', 'tiktok_claims')(path, position)) }}
{%- endmacro %}

{% macro default__export_layout(path, position=1) -%}
    {{ exceptions.raise_compiler_error(
        "export_layout has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__export_layout (macros/loading/)"
    ) }}
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

{#- Spark's load_export: reads one export file of the batch (CSV through an external table, Parquet directly) typed, under the canonical names; rows that do not parse are left to save_export_parse_errors. -#}

{% macro spark__load_export(file) -%}
    {#- `file`: a dict of the batch (path, name, position, export_date). -#}
    {%- set layout = export_layout(file.path, file.position) -%}
    {%- set types = export_column_types() -%}

    select
        -- ids
        {{ sql_string_literal(file.name) }} as source_file,
        cast({{ sql_string_literal(file.export_date) }} as date) as export_date,
        {% if layout.has_row_number -%}
            {{ spark_export_typed('source_row_number', 'bigint', layout) }}
        {%- else -%}
            {#- No row-number column: the row's position among the parsed
                rows, in file order (a CSV is read whole by one task). -#}
            cast(
                row_number() over (order by monotonically_increasing_id())
                as bigint
            )
        {%- endif %} as source_row_number,
        {% for column in export_columns() -%}
            {%- set value = spark_export_typed(column, types[column], layout) -%}
            {%- if column == 'video_transcription_text' and not layout.is_parquet -%}
                {#- As on DuckDB: a backslash-escaped quote left in an unquoted
                    field is unescaped (speech has no backslashes). -#}
                {%- set value = 'replace(' ~ value ~ ', chr(92) || chr(34), chr(34))' -%}
            {%- endif %}
            {{ value }} as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ layout.relation }}
    {% if not layout.is_parquet -%}
        where {{ spark_export_row_parses(layout) }}
    {%- endif %}
{%- endmacro %}

{% macro spark_export_file_relation(position) -%}
    {#- The external table over the CSV export at `position` in the batch. -#}
    {{ return(api.Relation.create(
        schema='raw', identifier='tiktok_export_file_' ~ position
    )) }}
{%- endmacro %}

{% macro spark__export_column_types() -%}
    {#- export_column_types() in Spark's names (string, not varchar). -#}
    {%- set types = {} -%}
    {%- for column, type in default__export_column_types().items() -%}
        {%- do types.update({column: 'string' if type == 'varchar' else type}) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}

{% macro spark__export_layout(path, position=1) -%}
    {#- What the file holds and where Spark reads it from. A CSV becomes the
        external table raw.tiktok_export_file_<position> (created here,
        metadata only):
        every column a string in file order, the row-number column (`#` or
        `id`) renamed source_row_number (dbt-spark lists no column of a table
        whose first column starts with `#`), other columns canonical or
        `_unused_<position>`, plus `_corrupt_record`, which PERMISSIVE mode
        fills with the raw line of a row that has too few or too many fields.
        A Parquet file is read in place, typed by casts. -#}
    {%- set is_parquet = export_format(path) == 'parquet' -%}
    {%- set file = (path | string | replace('`', '``')) -%}
    {%- if (path | string).split('/')[-1][:1] in ['_', '.'] -%}
        {{ exceptions.raise_compiler_error(
            "raw_videos_path '" ~ path ~ "': Spark skips files whose name "
            ~ "starts with '_' or '.' (it reads them as hidden). Rename the file."
        ) }}
    {%- endif -%}

    {%- if is_parquet -%}
        {%- set relation = 'parquet.`' ~ file ~ '`' -%}
        {%- set header = run_query('select * from ' ~ relation ~ ' limit 0').column_names -%}
    {%- else -%}
        {#- The header line, read as a row of data with Spark's defaults. -#}
        {%- set first_rows = run_query('select * from csv.`' ~ file ~ '` limit 1').rows -%}
        {%- if first_rows | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw_videos_path '" ~ path ~ "': the file is empty (no header)."
            ) }}
        {%- endif -%}
        {%- set header = [] -%}
        {%- for value in first_rows[0] -%}
            {%- do header.append('' if value is none else value | string) -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set found = export_header_layout(path, header) -%}

    {%- if is_parquet -%}
        {%- set names = found.names -%}
        {%- set row_number = found.row_number_column -%}
        {%- set names_quoted = {} -%}
        {%- for column, original in names.items() -%}
            {%- do names_quoted.update({
                column: '`' ~ (original | replace('`', '``')) ~ '`'
            }) -%}
        {%- endfor -%}
        {%- if row_number -%}
            {%- do names_quoted.update({
                'source_row_number': '`' ~ (row_number | replace('`', '``')) ~ '`'
            }) -%}
        {%- endif -%}
    {%- else -%}
        {%- set relation = spark_export_file_relation(position) -%}
        {%- set table_columns = [] -%}
        {%- for original in header -%}
            {%- set normalized = original | replace('\ufeff', '') | trim | lower -%}
            {%- if loop.index == found.row_number_position -%}
                {%- set name = 'source_row_number' -%}
            {%- elif normalized in export_columns()
                and found.positions[normalized] == loop.index -%}
                {%- set name = normalized -%}
            {%- else -%}
                {%- set name = '_unused_' ~ loop.index -%}
            {%- endif -%}
            {%- do table_columns.append(name) -%}
        {%- endfor -%}
        {#- Quotes escaped by backslash rather than doubled: sniffed, as DuckDB
            does, from the first lines (Spark stops reading each split there). -#}
        {%- set escaped_by_backslash = run_query(
            'select count_if(instr(value, chr(92) || chr(34)) > 0) from '
            ~ '(select value from text.`' ~ file ~ '` limit 20480)'
        ).rows[0][0] > 0 -%}
        {%- set escape = '\\\\' if escaped_by_backslash else '"' -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query(
            'create table ' ~ relation ~ ' ('
            ~ table_columns | join(' string, ') ~ ' string, _corrupt_record string) '
            ~ 'using csv options ('
            ~ 'path ' ~ sql_string_literal(path)
            ~ ", header 'true', sep ',', quote '\"', escape '" ~ escape ~ "'"
            ~ ", multiLine 'true', encoding 'UTF-8', mode 'PERMISSIVE'"
            ~ ", columnNameOfCorruptRecord '_corrupt_record')"
        ) -%}
        {{ return(spark_export_file_layout(relation, table_columns)) }}
    {%- endif -%}

    {{ return({
        'relation': relation,
        'is_parquet': true,
        'has_row_number': found.row_number_column is not none,
        'columns': names_quoted,
    }) }}
{%- endmacro %}

{% macro spark_export_file_layout(relation, table_columns) -%}
    {#- The layout of the external table of a CSV export from its column names
        in file order (as created by spark__export_layout). -#}
    {%- set columns = {} -%}
    {%- set positions = {} -%}
    {%- for name in table_columns if not name.startswith('_') -%}
        {%- do columns.update({name: '`' ~ name ~ '`'}) -%}
        {%- do positions.update({name: loop.index}) -%}
    {%- endfor -%}
    {{ return({
        'relation': relation,
        'is_parquet': false,
        'has_row_number': 'source_row_number' in columns,
        'columns': columns,
        'positions': positions,
        'file_columns': table_columns | reject('equalto', '_corrupt_record') | list,
    }) }}
{%- endmacro %}

{% macro spark_export_text(column, layout) -%}
    {#- A CSV field as text, null where it spells a missing value. -#}
    {%- set nulls = [] -%}
    {%- for value in export_null_strings() -%}
        {%- do nulls.append(sql_string_literal(value)) -%}
    {%- endfor -%}
    case
        when {{ layout.columns[column] }} not in ({{ nulls | join(', ') }})
            then {{ layout.columns[column] }}
    end
{%- endmacro %}

{% macro spark_export_typed(column, type, layout) -%}
    {#- A column as its type: a Parquet value cast; a CSV field parsed, null
        where missing or no number (a row holding such a value does not pass
        spark_export_row_parses). An id written 1.0 reads as 1, as DuckDB's
        reader does. -#}
    {%- if layout.is_parquet -%}
        cast({{ layout.columns[column] }} as {{ type }})
    {%- elif type == 'bigint' -%}
        try_cast(
            round(try_cast({{ spark_export_text(column, layout) }} as decimal(38, 9)))
            as bigint
        )
    {%- elif type == 'double' -%}
        try_cast({{ spark_export_text(column, layout) }} as double)
    {%- else -%}
        {{ spark_export_text(column, layout) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark_export_typed_columns(layout) -%}
    {#- The columns read as numbers, (name, type) in file order. -#}
    {%- set types = export_column_types() -%}
    {%- set by_position = {} -%}
    {%- do types.update({'source_row_number': 'bigint'}) -%}
    {%- for column in layout.columns if types[column] != 'string' -%}
        {%- do by_position.update({layout.positions[column]: (column, types[column])}) -%}
    {%- endfor -%}
    {%- set typed = [] -%}
    {%- for position in by_position | sort -%}
        {%- do typed.append(by_position[position]) -%}
    {%- endfor -%}
    {{ return(typed) }}
{%- endmacro %}

{% macro spark_export_not_a_number(column, type, layout) -%}
    {#- True where a CSV field holds a value that is neither missing nor a number of its type. -#}
    ({{ spark_export_text(column, layout) }} is not null
        and {{ spark_export_typed(column, type, layout) }} is null)
{%- endmacro %}

{% macro spark_export_row_parses(layout) -%}
    {#- True for a CSV row that split into the header's fields and whose numbers read. -#}
    `_corrupt_record` is null
    {% for column, type in spark_export_typed_columns(layout) -%}
        and not {{ spark_export_not_a_number(column, type, layout) }}
    {% endfor %}
{%- endmacro %}
