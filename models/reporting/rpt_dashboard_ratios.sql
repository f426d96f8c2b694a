{#-
    One row per (claim status, author ban status, per-view rate) where the rate
    is defined for some video: the sum and count of the rate, which the
    dashboard turns into means under any selection.
-#}
with

status_cells as (
    select * from {{ ref('rpt_status_cells') }}
),

ratios as (
    {% for rate, label in per_view_rates() %}
        select
            claim_status,
            author_ban_status,
            '{{ label }}' as ratio,
            cast(sum(sum_{{ rate }}) as double) as ratio_sum,
            cast(sum(count_{{ rate }}) as bigint) as ratio_count
        from status_cells
        group by 1, 2
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from ratios
where ratio_count > 0
