{#- One measure's rows of rpt_measure_stats: its figures per claim status, per author ban status and over all videos, in that table's column order. -#}
{% macro measure_stats(measure) -%}
    {%- set groupings = [
        ('claim_status', "coalesce(claim_status, 'unlabeled')"),
        ('author_ban_status', 'author_ban_status'),
        ('all', "'all videos'"),
    ] -%}
    with

    {# ref() in each branch, not an import CTE: DuckDB would materialize a CTE
       read three times, with every column of every video. #}
    aggregates as (
        {% for grouped_by, group_name in groupings %}
            select
                '{{ grouped_by }}' as grouped_by,
                {{ group_name }} as group_name,
                count(*) as video_count,
                count({{ measure }}) as value_count,
                min({{ measure }}) as min_value,
                {{ quartiles_exact('cast(' ~ measure ~ ' as double)') }}
                    as quartiles,
                max({{ measure }}) as max_value,
                avg({{ measure }}) as mean_value
            from {{ ref('videos') }}
            {% if grouped_by != 'all' %}group by 1, 2{% endif %}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    stats as (
        select
            -- strings
            grouped_by,
            group_name,
            '{{ measure }}' as measure,

            -- numerics
            cast(video_count as bigint) as video_count,
            cast(value_count as bigint) as value_count,
            cast(min_value as double) as min_value,
            cast({{ quartile_item('quartiles', 1) }} as double) as q1,
            cast({{ quartile_item('quartiles', 2) }} as double) as median,
            cast({{ quartile_item('quartiles', 3) }} as double) as q3,
            cast(max_value as double) as max_value,
            cast(mean_value as double) as mean_value
        from aggregates
    )

    select * from stats
{%- endmacro %}
