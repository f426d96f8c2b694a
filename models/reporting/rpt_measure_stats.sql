{#-
    One row per (grouping, group, measure): how many videos have the measure,
    its minimum, exact quartiles, maximum and mean. Groupings: each claim
    status ('unlabeled' for none), each author ban status, and all videos.

    One statement per measure: the table is created with the first measure's
    rows and each post-hook inserts another's. An exact quantile holds every
    value of its group in memory until its statement ends: over grouping sets
    in one statement, the six measures' eighteen quantiles hold 10M videos'
    values eighteen times (about 3 GB, past DuckDB's 1.5 GB limit); one
    measure's three hold about 0.5 GB. Counting videos per value instead
    (a hash aggregate, which spills) was exact too, but several times slower
    on the synthetic export's 3.9M distinct (status, value) pairs.

    It runs after engagement_by_status (the depends_on below), whose six
    medians hold 0.9 GB at 10M videos: side by side, the two would not fit.
-#}
-- depends_on: {{ ref('engagement_by_status') }}
{%- set measures = report_measures() -%}
{%- set inserts = [] -%}
{%- for measure in measures[1:] -%}
    {%- do inserts.append(
        'insert into {{ this }} {{ measure_stats(\'' ~ measure ~ '\') }}'
    ) -%}
{%- endfor -%}
{{ config(post_hook=inserts) }}

{{ measure_stats(measures[0]) }}
