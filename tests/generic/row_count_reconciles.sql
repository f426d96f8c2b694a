{#- One row if the model's row count differs from another relation's (optionally filtered): no row lost between layers. -#}
{% test row_count_reconciles(model, compare_model, compare_filter="true", model_filter="true") %}

with

model_rows as (
    select count(*) as row_count
    from {{ model }}
    where {{ model_filter }}
),

compare_rows as (
    select count(*) as row_count
    from {{ compare_model }}
    where {{ compare_filter }}
)

select
    model_rows.row_count as model_row_count,
    compare_rows.row_count as compare_row_count
from model_rows
cross join compare_rows
where model_rows.row_count != compare_rows.row_count

{% endtest %}
