{#
    Question: per author ban status, what are the count, mean and median of
    views, likes and shares?
    Original analysis: banned authors and those under review get far more
    views, likes and shares than active authors; in most groups the mean is
    much greater than the median, so a few videos have very high engagement.
    count_<measure> counts the videos where that count is present (as pandas'
    agg('count')); video_count counts every video.
#}
{%- set measures = [
    ('views', 'video_view_count'),
    ('likes', 'video_like_count'),
    ('shares', 'video_share_count'),
] %}

with

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

by_ban_status as (
    select *
    from measure_stats
    where grouped_by = 'author_ban_status'
),

engagement_by_ban_status as (
    select
        {{ measures[0][0] }}.group_name as author_ban_status,
        {{ measures[0][0] }}.video_count,
        {% for name, column in measures %}
            {{ name }}.value_count as count_{{ name }},
            {{ name }}.mean_value as mean_{{ name }},
            {{ name }}.median as median_{{ name }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from by_ban_status as {{ measures[0][0] }}
    {% for name, column in measures[1:] %}
        inner join by_ban_status as {{ name }}
            on
                {{ measures[0][0] }}.group_name = {{ name }}.group_name
                and {{ name }}.measure = '{{ column }}'
    {% endfor %}
    where {{ measures[0][0] }}.measure = '{{ measures[0][1] }}'
)

select * from engagement_by_ban_status
order by 1
