{#- Which export files a run loads: raw_videos_path (a file, a glob or a folder) compared with the load ledger. -#}

{% macro export_source_path() -%}
    {#- The var raw_videos_path, or the embedded synthetic export. -#}
    {{ return(var('raw_videos_path') or embedded_export_path()) }}
{%- endmacro %}

{% macro export_file_formats() -%}
    {#- The file name endings an export may have, and how each is read. -#}
    {{ return({'.csv': 'csv', '.csv.gz': 'csv', '.parquet': 'parquet'}) }}
{%- endmacro %}

{% macro export_format(path) -%}
    {%- for ending, format in export_file_formats().items()
        if (path | string | lower).endswith(ending) -%}
        {{ return(format) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{% macro export_files_found(path) -%}
    {#- Every export file the path names, ordered by file name (exports are
        named with their ISO date): path, name, size, modification time and
        export date (the first YYYY-MM-DD in the name, else the day the file
        was last modified). Fails naming the path when it holds no export. -#}
    {%- set files = [] -%}
    {%- for row in export_files_listed(path) if export_format(row[1]) -%}
        {%- do files.append({
            'path': row[0], 'name': row[1], 'size': row[2],
            'modified_at': row[3], 'export_date': row[4],
        }) -%}
    {%- endfor -%}
    {%- if not files -%}
        {{ exceptions.raise_compiler_error(
            "raw_videos_path '" ~ path ~ "': there is no export there. Give the "
            ~ "absolute path of an export file (.csv, .csv.gz or .parquet), of a "
            ~ "folder of them, or a glob such as /data/exports/*.csv."
        ) }}
    {%- endif -%}
    {{ return(files) }}
{%- endmacro %}

{% macro export_files_listed(path) -%}
    {#- The engine's listing of the files a path names: rows of (path, file
        name, size, modification time as 'YYYY-MM-DD HH:MM:SS.ffffff' UTC,
        export date as 'YYYY-MM-DD'), ordered by file name then path. -#}
    {{ return(adapter.dispatch('export_files_listed', 'tiktok_claims')(path)) }}
{%- endmacro %}

{% macro default__export_files_listed(path) -%}
    {{ exceptions.raise_compiler_error(
        "export_files_listed has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__export_files_listed (macros/loading/)"
    ) }}
{%- endmacro %}

{% macro duckdb__export_files_listed(path) -%}
    {%- set pattern = export_file_pattern(path) -%}
    {%- if not pattern_has_files(pattern) -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(run_query(
        "select file_path, regexp_replace(file_path, '^.*/', '') as file_name"
        ~ ", size, strftime(last_modified at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%f')"
        ~ ", coalesce(try_strptime(regexp_extract(regexp_replace(file_path, '^.*/', '')"
        ~ ", '(\\d{4}-\\d{2}-\\d{2})', 1), '%Y-%m-%d')::date"
        ~ ", (last_modified at time zone 'UTC')::date)::varchar"
        ~ " from (select filename as file_path, size, last_modified"
        ~ " from read_blob(" ~ sql_string_literal(pattern) ~ "))"
        ~ " order by file_name, file_path"
    ).rows) }}
{%- endmacro %}

{% macro spark__export_files_listed(path) -%}
    {#- Spark's binaryFile source lists a file, a folder's files or a Hadoop
        glob's matches (skipping names that start with _ or .) without reading
        their content. A path that does not exist fails with PATH_NOT_FOUND. -#}
    {{ return(run_query(
        "select file_path, regexp_extract(file_path, '([^/]*)$', 1) as file_name"
        ~ ", length, date_format(modificationTime, 'yyyy-MM-dd HH:mm:ss.SSSSSS')"
        ~ ", cast(coalesce(try_cast(regexp_extract(regexp_extract(file_path"
        ~ ", '([^/]*)$', 1), '([0-9]{4}-[0-9]{2}-[0-9]{2})', 1) as date)"
        ~ ", to_date(modificationTime)) as string)"
        ~ " from (select regexp_replace(path, '^file:(//)?', '') as file_path"
        ~ ", length, modificationTime from binaryFile.`"
        ~ (path | string | replace('`', '``')) ~ "`)"
        ~ " order by file_name, file_path"
    ).rows) }}
{%- endmacro %}

{% macro export_file_pattern(path) -%}
    {#- DuckDB: a folder stands for the exports in it; a file or a glob for itself. -#}
    {%- set text = path | string -%}
    {%- if '*' in text or '?' in text or '[' in text -%}
        {{ return(text) }}
    {%- endif -%}
    {%- set listed = run_query(
        'select count(*) from glob(' ~ sql_string_literal(text.rstrip('/') ~ '/*') ~ ')'
    ).columns[0].values()[0] -%}
    {{ return(text.rstrip('/') ~ '/*' if listed > 0 else text) }}
{%- endmacro %}

{% macro pattern_has_files(pattern) -%}
    {{ return(run_query(
        'select count(*) from glob(' ~ sql_string_literal(pattern) ~ ')'
    ).columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro export_file_checksum(file) -%}
    {#- The checksum the ledger records for a file (its staged rows and the
        lines the reader could not parse), computed by reading the file now:
        only for a file whose name or size is in the ledger already. -#}
    {%- set probe = {'path': file.path, 'name': file.name,
        'export_date': file.export_date, 'position': 'probe'} -%}
    {%- set rows = run_query(
        'select ' ~ export_rows_checksum() ~ ', count(*) from ('
        ~ stage_export_rows('(' ~ load_export(probe) ~ ')') ~ ')'
    ).rows[0] -%}
    {%- set unparsed = none -%}
    {%- if export_format(file.name) == 'csv' -%}
        {%- set unparsed = export_probe_lines_checksum() -%}
    {%- endif -%}
    {{ return(export_checksum_combined(rows[0], unparsed)) }}
{%- endmacro %}

{% macro export_probe_lines_checksum() -%}
    {#- The unparsed lines' part of the checksum of the file just probed. -#}
    {{ return(adapter.dispatch('export_probe_lines_checksum', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro default__export_probe_lines_checksum() -%}
    {{ exceptions.raise_compiler_error(
        "export_probe_lines_checksum has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__export_probe_lines_checksum (macros/loading/)"
    ) }}
{%- endmacro %}

{% macro duckdb__export_probe_lines_checksum() -%}
    {#- The reader kept them aside (store_rejects), one entry per error. -#}
    {{ return(run_query(
        'select ' ~ export_lines_checksum('csv_line') ~ ' from ('
        ~ 'select line, min(csv_line) as csv_line'
        ~ ' from tiktok_export_reject_errors_probe where scan_id = '
        ~ '(select max(scan_id) from tiktok_export_reject_scans_probe)'
        ~ ' group by line)'
    ).rows[0][0]) }}
{%- endmacro %}

{% macro spark__export_probe_lines_checksum() -%}
    {#- Spark's checksum covers the parsed rows only (export_lines_checksum). -#}
    {{ return(none) }}
{%- endmacro %}

{% macro export_timestamp_text(column) -%}
    {#- A timestamp column as 'YYYY-MM-DD HH:MM:SS.ffffff', as listed. -#}
    {{ return(adapter.dispatch('export_timestamp_text', 'tiktok_claims')(column)) }}
{%- endmacro %}

{% macro default__export_timestamp_text(column) -%}
    {{ exceptions.raise_compiler_error(
        "export_timestamp_text has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__export_timestamp_text (macros/loading/)"
    ) }}
{%- endmacro %}

{% macro duckdb__export_timestamp_text(column) -%}
    {{ return("strftime(" ~ column ~ ", '%Y-%m-%d %H:%M:%S.%f')") }}
{%- endmacro %}

{% macro spark__export_timestamp_text(column) -%}
    {{ return("date_format(" ~ column ~ ", 'yyyy-MM-dd HH:mm:ss.SSSSSS')") }}
{%- endmacro %}

{% macro export_ledger_relation() -%}
    {#- The ledger as left by earlier runs (none on a first or full-refresh run). -#}
    {%- if flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(
        database=target.database, schema='intermediate', identifier='int_export_files_loaded'
    )) }}
{%- endmacro %}

{% macro export_unlisted_rows_check(ledger) -%}
    {#- Refuses to go on where a failed run left rows the ledger does not list. -#}
    {{ return(adapter.dispatch('export_unlisted_rows_check', 'tiktok_claims')(ledger)) }}
{%- endmacro %}

{% macro default__export_unlisted_rows_check(ledger) -%}
    {#- DuckDB: a failed run's Parquet part is not listed, so never read. -#}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__export_unlisted_rows_check(ledger) -%}
    {#- Spark appends to Parquet tables model by model and cannot take rows
        back: a run that failed after stg_tiktok__videos leaves rows of files
        the ledger does not list, which a new run would load a second time. -#}
    {%- set staged = none if flags.FULL_REFRESH else adapter.get_relation(
        database=target.database, schema='staging',
        identifier='stg_tiktok__videos'
    ) -%}
    {%- if staged is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set unlisted = run_query(
        'select distinct source_file from ' ~ staged
        ~ (' where source_file not in (select source_file from ' ~ ledger ~ ')'
            if ledger is not none else '')
        ~ ' order by 1 limit 5'
    ).columns[0].values() -%}
    {%- if unlisted | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "staging.stg_tiktok__videos holds rows of " ~ unlisted | join(', ')
            ~ " that intermediate.int_export_files_loaded does not list: an earlier run failed "
            ~ "after loading them, and Spark's Parquet tables cannot take rows "
            ~ "back. Rebuild from the files with --full-refresh."
        ) }}
    {%- endif -%}
{%- endmacro %}

{% macro exports_to_load() -%}
    {#- The files this run loads, oldest first. A file already in the ledger
        with the same size and modification time, or the same checksum, is
        skipped, and so is a new name with the content of a loaded file; one
        whose content changed, or a new one that sorts before the newest export
        loaded, is refused: an export is loaded once, in order. The var
        max_exports_per_run keeps the first N (python -m warehouse loads one at
        a time, so the history has a version per export). Contents are only
        read here when a name or a size is in the ledger already: a new export
        is read once, by staging, which records its checksum. -#}
    {#- Only a run that loads decides; compiling (docs, show, ls) loads nothing. -#}
    {%- if flags.WHICH not in ['build', 'run'] -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set path = export_source_path() -%}
    {%- set files = export_files_found(path) -%}
    {%- set ledger = export_ledger_relation() -%}
    {%- do export_unlisted_rows_check(ledger) -%}
    {%- set loaded = {} -%}
    {%- set newest = {'name': none} -%}
    {%- if ledger is not none -%}
        {%- for row in run_query(
            'select source_file, file_size, '
            ~ export_timestamp_text('file_modified_at') ~ ', checksum, '
            ~ 'cast(loaded_at as string) from ' ~ ledger ~ ' order by source_file'
        ).rows -%}
            {%- do loaded.update({row[0]: {
                'size': row[1], 'modified_at': row[2], 'checksum': row[3],
                'loaded_at': row[4],
            }}) -%}
            {%- do newest.update({'name': row[0]}) -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set sizes = {} -%}
    {%- for name, before in loaded.items() -%}
        {%- do sizes.update({before.size: name}) -%}
    {%- endfor -%}
    {%- set known_checksums = {} -%}
    {%- for name, before in loaded.items() -%}
        {%- do known_checksums.update({before.checksum: name}) -%}
    {%- endfor -%}

    {%- set pending = [] -%}
    {%- for file in files -%}
        {%- set before = loaded.get(file.name) -%}
        {%- if before is not none and before.size == file.size
            and before.modified_at == file.modified_at -%}
            {#- Loaded before, untouched since: nothing to do. -#}
        {%- elif before is not none or file.size in sizes -%}
            {#- A known name touched since, or a new name with the size of a
                loaded file: compare contents. -#}
            {%- set checksum = export_file_checksum(file) -%}
            {%- if before is not none and before.checksum != checksum -%}
                {{ exceptions.raise_compiler_error(
                    "export '" ~ file.path ~ "' was loaded on " ~ before.loaded_at
                    ~ " (checksum " ~ before.checksum ~ ") and its content has changed "
                    ~ "since (checksum " ~ checksum ~ "). An export is loaded once: "
                    ~ "restore the file as it was, or deliver the correction as a new "
                    ~ "export with a later name. To rebuild everything from the files as "
                    ~ "they are now, run the build with --full-refresh."
                ) }}
            {%- elif before is none and checksum in known_checksums -%}
                {{ log("skipping export '" ~ file.path ~ "': same content as '"
                    ~ known_checksums[checksum] ~ "', loaded already", info=true) }}
            {%- elif before is none -%}
                {%- do pending.append(file) -%}
            {%- endif -%}
        {%- else -%}
            {%- do pending.append(file) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for file in pending if newest.name is not none and file.name < newest.name -%}
        {{ exceptions.raise_compiler_error(
            "export '" ~ file.path ~ "' sorts before '" ~ newest.name
            ~ "', the newest export loaded: exports are loaded in the order "
            ~ "of their names (ISO dates), so that the newest one wins. Give "
            ~ "it a later name, or rebuild in order with --full-refresh."
        ) }}
    {%- endfor -%}

    {%- set limit = var('max_exports_per_run') -%}
    {%- if limit is not none and (limit is not number or limit is boolean or limit < 1) -%}
        {{ exceptions.raise_compiler_error(
            "max_exports_per_run must be a whole number of at least 1, got "
            ~ (limit | tojson)
        ) }}
    {%- endif -%}
    {{ return(pending[:limit] if limit is not none else pending) }}
{%- endmacro %}

{% macro export_batch() -%}
    {#- The files this run loads, as recorded in raw.tiktok_export_files by
        the first model of the run: a list of dicts (path, name, export_date,
        format, position). -#}
    {%- if not execute or flags.WHICH not in ['build', 'run', 'test'] -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(
        database=target.database, schema='raw', identifier='tiktok_export_files'
    ) -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set batch = [] -%}
    {%- for row in run_query(
        'select file_path, source_file, cast(export_date as string) from '
        ~ relation ~ ' order by batch_position'
    ).rows -%}
        {%- do batch.append({
            'path': row[0], 'name': row[1], 'export_date': row[2],
            'format': export_format(row[1]), 'position': loop.index,
        }) -%}
    {%- endfor -%}
    {{ return(batch) }}
{%- endmacro %}

{% macro export_batch_is_everything() -%}
    {#- Whether the files this run loads are every export the warehouse holds
        (a first run, a full refresh): the ledger lists no other file. -#}
    {%- set ledger = adapter.get_relation(
        database=target.database, schema='intermediate',
        identifier='int_export_files_loaded'
    ) -%}
    {%- if ledger is none or not execute -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set earlier = run_query(
        'select count(*) from ' ~ ledger
        ~ ' where not (' ~ export_batch_filter() ~ ')'
    ).rows[0][0] -%}
    {{ return(earlier == 0) }}
{%- endmacro %}

{% macro export_batch_filter(column='source_file') -%}
    {#- A predicate true for rows of the files this run loads. -#}
    {%- set names = [] -%}
    {%- for file in export_batch() -%}
        {%- do names.append(sql_string_literal(file.name)) -%}
    {%- endfor -%}
    {%- if names -%}
        {{ return(column ~ ' in (' ~ names | join(', ') ~ ')') }}
    {%- endif -%}
    {{ return('false') }}
{%- endmacro %}
