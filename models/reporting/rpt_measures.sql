{#-
    One row per measure the report describes (video duration, then the count
    columns of count_columns()), in the report's order.
-#}
with

measures as (
    {% for measure in report_measures() %}
        select
            '{{ measure }}' as measure,
            {{ loop.index }} as measure_position,
            {{ 'false' if loop.first else 'true' }} as is_count_column
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from measures
