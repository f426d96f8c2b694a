{% macro date_days(first_date, last_date) -%}
    {#- One row per day from first_date to last_date (ISO strings), as
        `date_day`: the rows of the time spine. -#}
    {{ return(adapter.dispatch('date_days', 'tiktok_claims')(
        first_date, last_date
    )) }}
{%- endmacro %}

{% macro default__date_days(first_date, last_date) -%}
    select cast(range as date) as date_day
    from range(
        date '{{ first_date }}',
        date '{{ last_date }}' + interval 1 day,
        interval 1 day
    )
{%- endmacro %}

{% macro spark__date_days(first_date, last_date) -%}
    select explode(
        sequence(date '{{ first_date }}', date '{{ last_date }}', interval 1 day)
    ) as date_day
{%- endmacro %}
