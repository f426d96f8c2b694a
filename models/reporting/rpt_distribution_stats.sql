{#-
    One row per (measure, group), group = a claim status or 'all videos': the
    box plot's statistics. The upper whisker ends at the largest value within
    the project's one outlier fence (outlier_threshold, on the group's own
    quartiles); that rule has no lower fence, so the lower whisker is the
    minimum. One scan of int_video_population, besides rpt_measure_stats'.
-#}
with

videos as (
    select * from {{ ref('int_video_population') }}
),

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

box_stats as (
    select
        measure,
        group_name,
        value_count,
        min_value,
        q1,
        median,
        q3,
        max_value,
        mean_value,
        {{ outlier_threshold('median', 'q1', 'q3') }} as upper_fence
    from measure_stats
    where grouped_by in ('claim_status', 'all') and value_count > 0
),

-- The fences side by side: per claim status, its own; then all videos'.
fences_wide as (
    select
        box_stats.group_name as claim_status,
        {% for measure in report_measures() %}
            max(
                case
                    when box_stats.measure = '{{ measure }}'
                        then box_stats.upper_fence
                end
            ) as {{ measure }}__fence
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from box_stats
    where box_stats.group_name != 'all videos'
    group by 1
),

all_fences_wide as (
    select
        {% for measure in report_measures() %}
            max(
                case
                    when box_stats.measure = '{{ measure }}'
                        then box_stats.upper_fence
                end
            ) as {{ measure }}__all_fence
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from box_stats
    where box_stats.group_name = 'all videos'
),

whiskers_by_claim_status_wide as (
    select
        fences_wide.claim_status,
        {% for measure in report_measures() %}
            {%- set value = 'videos.' ~ measure -%}
            {%- set fence = 'fences_wide.' ~ measure ~ '__fence' -%}
            {%- set all_fence = 'all_fences_wide.' ~ measure ~ '__all_fence' %}
            max(case when {{ value }} <= {{ fence }} then {{ value }} end)
                as {{ measure }}__whisker_high,
            count(case when {{ value }} > {{ fence }} then 1 end)
                as {{ measure }}__above_whisker,
            max(case when {{ value }} <= {{ all_fence }} then {{ value }} end)
                as {{ measure }}__all_whisker_high,
            count(case when {{ value }} > {{ all_fence }} then 1 end)
                as {{ measure }}__all_above_whisker
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
    inner join fences_wide
        on coalesce(videos.claim_status, 'unlabeled') = fences_wide.claim_status
    cross join all_fences_wide
    group by 1
),

whiskers as (
    {% for measure in report_measures() %}
        select
            '{{ measure }}' as measure,
            claim_status as group_name,
            cast({{ measure }}__whisker_high as double) as whisker_high,
            cast({{ measure }}__above_whisker as bigint) as above_whisker
        from whiskers_by_claim_status_wide
        union all
        select
            '{{ measure }}' as measure,
            'all videos' as group_name,
            cast(max({{ measure }}__all_whisker_high) as double)
                as whisker_high,
            cast(sum({{ measure }}__all_above_whisker) as bigint)
                as above_whisker
        from whiskers_by_claim_status_wide
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

distribution_stats as (
    select
        -- strings
        box_stats.measure,
        box_stats.group_name,

        -- numerics
        box_stats.value_count as video_count,
        box_stats.min_value,
        box_stats.q1,
        box_stats.median,
        box_stats.q3,
        box_stats.max_value,
        box_stats.mean_value as mean,
        box_stats.min_value as whisker_low,
        whiskers.whisker_high,
        cast(0 as bigint) as below_whisker,
        whiskers.above_whisker
    from box_stats
    inner join whiskers
        on
            box_stats.measure = whiskers.measure
            and box_stats.group_name = whiskers.group_name
)

select * from distribution_stats
