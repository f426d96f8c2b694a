{#- dbt's test filter, plus two tokens. `__new_exports__` in a test's `where` stands for "the row comes from an export this run loads", so row-level tests read the new files' rows only; `__new_export_videos__` for "the row's video_id is one of those rows'", so a key test reads every row of the videos this run updates (all the rows that can have changed). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- if '__new_export_videos__' in where -%}
            {#- A run that loads every export (the first, a full refresh)
                updates every video: no filter, no semi-join. -#}
            {%- set new_export_videos = 'true' if export_batch_is_everything()
                else 'video_id in (select video_id from ' ~ relation
                ~ ' where ' ~ export_batch_filter() ~ ')' -%}
            {%- set where = where
                | replace('__new_export_videos__', new_export_videos) -%}
        {%- endif -%}
        {%- set where = where
            | replace('__new_exports__', export_batch_filter()) -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
