{#-
    One row per (claim status, author ban status), the unlabeled videos
    included: engagement counts and rates.
-#}
with

videos as (
    select * from {{ ref('int_video_population') }}
),

{%- set measures = [
    ('views', 'video_view_count'),
    ('likes', 'video_like_count'),
    ('shares', 'video_share_count'),
    ('likes_per_view', 'likes_per_view'),
    ('comments_per_view', 'comments_per_view'),
    ('shares_per_view', 'shares_per_view'),
] %}

aggregated as (
    select
        -- strings
        claim_status,
        author_ban_status,

        -- numerics
        count(*) as video_count,
        {% for name, column in measures -%}
            cast(avg({{ column }}) as double) as mean_{{ name }},
            cast({{ quantile_exact(column, 0.5) }} as double)
                as median_{{ name }},
        {% endfor %}

        -- booleans
        claim_status is not null as is_labeled
    from videos
    group by 1, 2
)

select * from aggregated
