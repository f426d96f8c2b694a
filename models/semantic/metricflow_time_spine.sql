{#-
    One row per day, 2020-01-01 to 2040-12-31: the time spine MetricFlow joins
    metrics to when they are asked for over time (weeks of export, days with
    no export).
-#}
with

days as (
    {{ date_days('2020-01-01', '2040-12-31') }}
)

select * from days
