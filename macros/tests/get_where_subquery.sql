{#- dbt's test filter, plus one token: `__new_exports__` in a test's `where` stands for "the row comes from an export this run loads", so row-level tests read the new files' rows only. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set where = where | replace('__new_exports__', export_batch_filter()) -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
