{#-
    The `export_parts` materialization (DuckDB): a model whose rows come from
    the files of one run only (the batch) is written once, as an immutable
    Parquet part in the parts folder beside the database, and the relation is a
    view over every part the load ledger lists plus the new one. A run reads
    only the new files; rows already loaded are never rewritten; a reader of an
    older database file keeps its own list of parts. A run that fails leaves at
    most an unlisted part, which the next one ignores (and `python -m warehouse`
    deletes). With --full-refresh the ledger's parts are dropped from the list.
-#}
{% materialization export_parts, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set parts = export_parts_listed(this.identifier) -%}
    {%- set batch = export_batch() -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if batch -%}
        {%- set load_id = this.identifier ~ '-' ~ invocation_id -%}
        {%- call statement('write_part', fetch_result=True) -%}
            {#- One file per writing thread in the part's own folder: as
                parallel as a partitioned write, without its buffering (2-4 s
                of 14 at 10M rows). COPY creates only the last folder of its
                path; a partitioned COPY of no rows creates the parts folder.
            -#}
            copy (select 1 as no_rows, 1 as export_part where false)
            to {{ sql_string_literal(export_parts_dir()) }}
            (format parquet, partition_by (export_part), append);
            copy ({{ sql }})
            to {{ sql_string_literal(export_part_dir(load_id)) }}
            (format parquet, per_thread_output true)
        {%- endcall -%}
        {#- COPY answers with the rows written: none, no file (nor part). -#}
        {%- if load_result('write_part')['data'][0][0] > 0 -%}
            {%- do parts.append(export_part_glob(load_id)) -%}
        {%- endif -%}
    {%- endif -%}

    {%- if existing_relation is not none and existing_relation.type != 'view' -%}
        {{ adapter.drop_relation(existing_relation) }}
    {%- endif -%}
    {%- call statement('main') -%}
        create or replace view {{ target_relation }} as
        {% if parts -%}
            select * from read_parquet(
                [{% for part in parts %}{{ sql_string_literal(part) }}{% if not loop.last %}, {% endif %}{% endfor %}],
                hive_partitioning = false
            )
        {%- else -%}
            select * from ({{ sql }}) where false
        {%- endif %}
    {%- endcall -%}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{% macro export_parts_dir() -%}
    {#- Where the Parquet parts live: $TIKTOK_PARTS_DIR, else the database's
        path + `.parts` (absolute: views name their files). -#}
    {%- set db_path = env_var('TIKTOK_DUCKDB_PATH', 'tiktok.duckdb') -%}
    {%- set path = env_var('TIKTOK_PARTS_DIR', '') or db_path ~ '.parts' -%}
    {%- if not path.startswith('/') -%}
        {%- set path = adapter.config.project_root ~ '/' ~ path -%}
    {%- endif -%}
    {{ return(path.rstrip('/')) }}
{%- endmacro %}

{% macro export_part_dir(load_id) -%}
    {{ return(export_parts_dir() ~ '/export_part=' ~ load_id) }}
{%- endmacro %}

{% macro export_part_glob(load_id) -%}
    {{ return(export_part_dir(load_id) ~ '/*.parquet') }}
{%- endmacro %}

{% macro export_parts_listed(identifier) -%}
    {#- The parts of `identifier` that the load ledger lists, oldest first. -#}
    {%- set ledger = export_ledger_relation() -%}
    {%- set parts = [] -%}
    {%- if ledger is not none and execute -%}
        {%- for row in run_query(
            'select invocation_id, min(loaded_at) from ' ~ ledger
            ~ ' group by 1 order by 2, 1'
        ).rows -%}
            {%- do parts.append(export_part_glob(identifier ~ '-' ~ row[0])) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(parts) }}
{%- endmacro %}
