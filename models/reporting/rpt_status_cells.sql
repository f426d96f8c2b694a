{#-
    One row per (claim status, verified status, author ban status) holding
    videos ('unlabeled' for no claim status): counts, total views and the sums
    and counts of the per-view rates, from one scan of int_video_population
    (marts.videos' stored narrow twin). The status counts, view share,
    dashboard and summary figures are sums over it.
-#}
with

videos as (
    select * from {{ ref('int_video_population') }}
),

cells as (
    select
        -- strings
        coalesce(claim_status, 'unlabeled') as claim_status,
        verified_status,
        author_ban_status,

        -- numerics
        cast(count(*) as bigint) as video_count,
        cast(count(video_view_count) as bigint) as videos_with_views,
        cast(sum(video_view_count) as bigint) as total_views,
        cast(count_if(has_complete_features) as bigint)
            as complete_video_count,
        cast(count_if(not has_complete_features) as bigint)
            as incomplete_video_count,
        cast(count_if(
            {% for column in count_columns() %}
                coalesce({{ column }}_is_outlier, false)
                {%- if not loop.last %} or{% endif %}
            {% endfor %}
        ) as bigint) as outlier_video_count,
        {% for rate, label in per_view_rates() %}
            cast(sum({{ rate }}) as double) as sum_{{ rate }},
            cast(count({{ rate }}) as bigint) as count_{{ rate }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
    group by 1, 2, 3
)

select * from cells
