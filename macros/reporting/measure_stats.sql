{#- One measure's rows of rpt_measure_stats: its figures per claim status, per author ban status and over all videos, in that table's column order. A count column's quartiles over all videos are int_video_count_thresholds' (the same exact quantiles of the same population), not computed twice. -#}
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
            {%- set from_thresholds = grouped_by == 'all'
                and measure in count_columns() %}
            select
                grouped_by,
                group_name,
                video_count,
                value_count,
                min_value,
                {% if from_thresholds %}
                    q1,
                    median,
                    q3,
                {% else %}
                    {{ quartile_item('quartiles', 1) }} as q1,
                    {{ quartile_item('quartiles', 2) }} as median,
                    {{ quartile_item('quartiles', 3) }} as q3,
                {% endif %}
                max_value,
                mean_value
            from (
                select
                    '{{ grouped_by }}' as grouped_by,
                    {{ group_name }} as group_name,
                    count(*) as video_count,
                    count({{ measure }}) as value_count,
                    min({{ measure }}) as min_value,
                    {% if not from_thresholds %}
                        {{ quartiles_exact(
                            'cast(' ~ measure ~ ' as double)'
                        ) }} as quartiles,
                    {% endif %}
                    max({{ measure }}) as max_value,
                    avg({{ measure }}) as mean_value
                from {{ ref('int_video_population') }}
                {% if grouped_by != 'all' %}group by 1, 2{% endif %}
            ) as measured
            {% if from_thresholds %}
                cross join (
                    select
                        q1,
                        median,
                        q3
                    from {{ ref('int_video_count_thresholds') }}
                    where column_name = '{{ measure }}'
                ) as thresholds
            {% endif %}
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
            cast(q1 as double) as q1,
            cast(median as double) as median,
            cast(q3 as double) as q3,
            cast(max_value as double) as max_value,
            cast(mean_value as double) as mean_value
        from aggregates
    )

    select * from stats
{%- endmacro %}
