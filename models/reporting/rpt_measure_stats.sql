{#-
    One row per (grouping, group, measure): how many videos have the measure,
    its minimum, exact quartiles, maximum and mean. Groupings: each claim
    status ('unlabeled' for none), each author ban status, and all videos,
    from one scan of marts.videos (grouping sets).
-#}
with

videos as (
    select * from {{ ref('videos') }}
),

measured_videos as (
    select
        -- strings
        coalesce(claim_status, 'unlabeled') as claim_status,
        author_ban_status,

        -- numerics
        {% for measure in report_measures() %}
            cast({{ measure }} as double) as {{ measure }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
),

stats_wide as (
    select
        claim_status,
        author_ban_status,
        grouping(claim_status) as is_all_claim_statuses,
        grouping(author_ban_status) as is_all_ban_statuses,
        count(*) as video_count,
        {% for measure in report_measures() %}
            count({{ measure }}) as {{ measure }}__count,
            min({{ measure }}) as {{ measure }}__min,
            {{ quartiles_exact(measure) }} as {{ measure }}__quartiles,
            max({{ measure }}) as {{ measure }}__max,
            avg({{ measure }}) as {{ measure }}__mean
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    {#- sqlfluff's DuckDB dialect cannot parse grouping sets (DuckDB and Spark
        can): hence the noqa. -#}
    from measured_videos
    group by grouping sets ((claim_status), (author_ban_status), ())  -- noqa: PRS, AM06, LT05
),

groups as (
    select
        *,
        case
            when is_all_claim_statuses = 0 then 'claim_status'
            when is_all_ban_statuses = 0 then 'author_ban_status'
            else 'all'
        end as grouped_by,
        coalesce(claim_status, author_ban_status, 'all videos') as group_name
    from stats_wide
),

stats as (
    {% for measure in report_measures() %}
        select
            -- strings
            grouped_by,
            group_name,
            '{{ measure }}' as measure,

            -- numerics
            cast(video_count as bigint) as video_count,
            cast({{ measure }}__count as bigint) as value_count,
            {{ measure }}__min as min_value,
            cast({{ quartile_item(measure ~ '__quartiles', 1) }} as double)
                as q1,
            cast({{ quartile_item(measure ~ '__quartiles', 2) }} as double)
                as median,
            cast({{ quartile_item(measure ~ '__quartiles', 3) }} as double)
                as q3,
            {{ measure }}__max as max_value,
            cast({{ measure }}__mean as double) as mean_value
        from groups
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from stats
