{#- One row if the model's row count differs from another relation's: no row lost between layers. -#}
{% test row_count_reconciles(model, compare_model) %}

with

model_rows as (
    select count(*) as row_count
    from {{ model }}
),

compare_rows as (
    select count(*) as row_count
    from {{ compare_model }}
)

select
    model_rows.row_count as model_row_count,
    compare_rows.row_count as compare_row_count
from model_rows
cross join compare_rows
where model_rows.row_count != compare_rows.row_count

{% endtest %}
