{#- Reads an export file (CSV or Parquet) as text columns under the canonical names, detecting its format; fails naming the file, line and column. -#}

{% macro load_export(path) -%}
    {{ return(adapter.dispatch('load_export', 'tiktok_claims')(path)) }}
{%- endmacro %}

{% macro duckdb__load_export(path) -%}
    {#- Placeholder while dbt parses: the file is only read when the model runs. -#}
    {%- if not execute -%}
        {{ return('select null as source_row_number') }}
    {%- endif -%}
    {%- set file = sql_string_literal(path) -%}

    {%- set found = run_query('select count(*) from glob(' ~ file ~ ')').columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw_videos_path: there is no file at '" ~ path ~ "'. "
            ~ "Give the absolute path of a CSV or Parquet export."
        ) }}
    {%- endif -%}

    {%- set is_parquet = (path | string | lower).endswith('.parquet') -%}
    {%- if is_parquet -%}
        {%- set reader = 'read_parquet(' ~ file ~ ')' -%}
    {%- else -%}
        {%- set escape = duckdb__sniff_export_escape(file) -%}
        {%- set reader = duckdb__export_csv_reader(file, escape) -%}
    {%- endif -%}

    {%- set header = run_query('describe select * from ' ~ reader).columns[0].values() -%}
    {%- set names = {} -%}
    {%- for original in header -%}
        {%- set normalized = original | replace('\ufeff', '') | trim | lower -%}
        {%- if normalized not in names -%}
            {%- do names.update({normalized: original}) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set missing = [] -%}
    {%- for column in export_columns() if column not in names -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- set delimiters = [';', '\t', '|'] -%}
        {%- set first = header[0] if header else '' -%}
        {%- for delimiter in delimiters if header | length == 1 and delimiter in first -%}
            {{ exceptions.raise_compiler_error(
                "raw_videos_path '" ~ path ~ "', line 1: the header is not "
                ~ "comma-separated (found " ~ (delimiter | tojson) ~ " between "
                ~ "column names). Save the file as comma-separated CSV."
            ) }}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "raw_videos_path '" ~ path ~ "', line 1: the header lacks the column(s) "
            ~ missing | join(', ') ~ ". Found: " ~ header | join(', ') ~ "."
        ) }}
    {%- endif -%}

    {%- if '#' in names -%}
        {%- set row_number = adapter.quote(names['#']) -%}
    {%- elif 'id' in names -%}
        {%- set row_number = adapter.quote(names['id']) -%}
    {%- else -%}
        {%- set row_number = 'row_number() over ()' -%}
    {%- endif -%}

    select
        cast({{ row_number }} as varchar) as source_row_number,
        {% for column in export_columns() -%}
            {%- set value = 'cast(' ~ adapter.quote(names[column]) ~ ' as varchar)' -%}
            {%- if column == 'video_transcription_text' and not is_parquet -%}
                {#- The reader leaves a backslash-escaped quote in an unquoted
                    field as it is: unescape it (speech has no backslashes). -#}
                {%- set value = 'replace(' ~ value ~ ', chr(92) || chr(34), chr(34))' -%}
            {%- endif %}
            {{ value }} as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ reader }}
{%- endmacro %}

{% macro duckdb__sniff_export_escape(file) -%}
    {#- The quote escape the file uses: '"' (doubled quotes) or a backslash. -#}
    {%- set sniffed = run_query('select Escape from sniff_csv(' ~ file ~ ')') -%}
    {%- set escape = sniffed.columns[0].values()[0] if sniffed else '"' -%}
    {{ return('\\' if escape == '\\' else '"') }}
{%- endmacro %}

{% macro duckdb__export_csv_reader(file, escape) -%}
    {#- read_csv with every column as text, comma-separated, rows that do not parse kept aside. -#}
    {%- set nulls = [] -%}
    {%- for value in export_null_strings() -%}
        {%- do nulls.append(sql_string_literal(value)) -%}
    {%- endfor -%}
    {{ return(
        "read_csv(" ~ file ~ ", header = true, all_varchar = true, delim = ',', "
        ~ "quote = '\"', escape = " ~ sql_string_literal(escape) ~ ", "
        ~ "nullstr = [" ~ nulls | join(', ') ~ "], "
        ~ "store_rejects = true, "
        ~ "rejects_table = 'tiktok_export_reject_errors', "
        ~ "rejects_scan = 'tiktok_export_reject_scans')"
    ) }}
{%- endmacro %}
