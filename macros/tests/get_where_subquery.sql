{#- dbt's test filter, plus two tokens. `__new_exports__` in a test's `where` stands for "the row comes from an export this run loads", so row-level tests read the new files' rows only; `__new_export_videos__` for "the row's video_id is one of those rows'", so a key test reads every row of the videos this run updates (all the rows that can have changed). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set where = where
            | replace(
                '__new_export_videos__',
                'video_id in (select video_id from ' ~ relation
                ~ ' where ' ~ export_batch_filter() ~ ')'
            )
            | replace('__new_exports__', export_batch_filter()) -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
