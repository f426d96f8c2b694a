{#- Rows where any of the columns is null: one scan for many columns (cheaper at scale than a not_null test each). -#}
{% test not_null_columns(model, columns) %}

select *
from {{ model }}
where
    {% for column in columns %}
        {{ column }} is null{% if not loop.last %} or{% endif %}
    {% endfor %}

{% endtest %}
