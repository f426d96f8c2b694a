{#-
    One row per (grouping, group, measure): how many videos have the measure,
    its minimum, exact quartiles, maximum and mean. Groupings: each claim
    status ('unlabeled' for none), each author ban status, and all videos.

    The quartiles come from each measure's value counts, not from a quantile
    aggregate: an exact quantile aggregate holds every value of its group in
    memory, and eighteen of them (six measures, three groupings) hold 10M
    videos' values three times over, past DuckDB's 1.5 GB limit. Counting
    videos per value is a hash aggregate, which spills; the k-th smallest
    value is then the first whose running count passes k. The quartiles are
    those of quantile_cont (linear interpolation between the values at
    positions floor((n - 1) p) and ceil((n - 1) p), counted from 0).
-#}
{%- set groupings = [
    ('claim_status', 'claim_status'),
    ('author_ban_status', 'author_ban_status'),
    ('all', "'all videos'"),
] -%}

with

-- One narrow scan of marts.videos per measure (ref() in each branch: DuckDB
-- materializes a CTE read six times, with every column of every video).
value_counts as (
    {% for measure in report_measures() %}
        select
            -- strings
            '{{ measure }}' as measure,
            coalesce(claim_status, 'unlabeled') as claim_status,
            author_ban_status,

            -- numerics
            cast({{ measure }} as double) as measure_value,
            count(*) as video_count
        from {{ ref('videos') }}
        group by 1, 2, 3, 4
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

grouped_value_counts as (
    {% for grouped_by, group_name in groupings %}
        select
            '{{ grouped_by }}' as grouped_by,
            {{ group_name }} as group_name,
            measure,
            measure_value,
            sum(video_count) as video_count
        from value_counts
        group by 1, 2, 3, 4
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

group_stats as (
    select
        grouped_by,
        group_name,
        measure,
        sum(video_count) as video_count,
        coalesce(
            sum(case when measure_value is not null then video_count end), 0
        ) as value_count,
        min(measure_value) as min_value,
        max(measure_value) as max_value,
        sum(measure_value * video_count)
        / sum(case when measure_value is not null then video_count end)
            as mean_value
    from grouped_value_counts
    group by 1, 2, 3
),

running_counts as (
    select
        grouped_by,
        group_name,
        measure,
        measure_value,
        sum(video_count) over (
            partition by grouped_by, group_name, measure
            order by measure_value
            rows between unbounded preceding and current row
        ) as videos_through_value
    from grouped_value_counts
    where measure_value is not null
),

quartile_fractions as (
    select
        1 as quartile,
        0.25 as fraction
    union all
    select
        2 as quartile,
        0.5 as fraction
    union all
    select
        3 as quartile,
        0.75 as fraction
),

quartile_positions as (
    select
        group_stats.grouped_by,
        group_stats.group_name,
        group_stats.measure,
        quartile_fractions.quartile,
        (group_stats.value_count - 1) * quartile_fractions.fraction
            as value_position
    from group_stats
    cross join quartile_fractions
    where group_stats.value_count > 0
),

quartile_bounds as (
    select
        quartile_positions.grouped_by,
        quartile_positions.group_name,
        quartile_positions.measure,
        quartile_positions.quartile,
        quartile_positions.value_position
        - floor(quartile_positions.value_position)
            as fraction_above_lower,
        -- the value at 0-based position k: the first whose running count > k
        min(
            case
                when
                    running_counts.videos_through_value
                    > floor(quartile_positions.value_position)
                    then running_counts.measure_value
            end
        ) as lower_value,
        min(
            case
                when
                    running_counts.videos_through_value
                    > ceil(quartile_positions.value_position)
                    then running_counts.measure_value
            end
        ) as upper_value
    from quartile_positions
    inner join running_counts
        on
            quartile_positions.grouped_by = running_counts.grouped_by
            and quartile_positions.group_name = running_counts.group_name
            and quartile_positions.measure = running_counts.measure
    group by 1, 2, 3, 4, 5
),

quartiles_wide as (
    select
        grouped_by,
        group_name,
        measure,
        {% for name in ['q1', 'median', 'q3'] %}
            max(
                case
                    when quartile = {{ loop.index }}
                        then
                            lower_value
                            + (upper_value - lower_value)
                            * fraction_above_lower
                end
            ) as {{ name }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from quartile_bounds
    group by 1, 2, 3
),

stats as (
    select
        -- strings
        group_stats.grouped_by,
        group_stats.group_name,
        group_stats.measure,

        -- numerics
        cast(group_stats.video_count as bigint) as video_count,
        cast(group_stats.value_count as bigint) as value_count,
        cast(group_stats.min_value as double) as min_value,
        cast(quartiles_wide.q1 as double) as q1,
        cast(quartiles_wide.median as double) as median,
        cast(quartiles_wide.q3 as double) as q3,
        cast(group_stats.max_value as double) as max_value,
        cast(group_stats.mean_value as double) as mean_value
    from group_stats
    left join quartiles_wide
        on
            group_stats.grouped_by = quartiles_wide.grouped_by
            and group_stats.group_name = quartiles_wide.group_name
            and group_stats.measure = quartiles_wide.measure
)

select * from stats
