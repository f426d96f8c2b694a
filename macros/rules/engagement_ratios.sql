{#- The engagement ratio rule: every column of `videos` plus likes, comments, shares and downloads per view (safe_divide: null where views are null or zero). A select over a relation, so that the ratios are written once for both readers of them. -#}
{% macro engagement_ratios(videos) -%}
    select
        *,
        {{ safe_divide('video_like_count', 'video_view_count') }}
            as likes_per_view,
        {{ safe_divide('video_comment_count', 'video_view_count') }}
            as comments_per_view,
        {{ safe_divide('video_share_count', 'video_view_count') }}
            as shares_per_view,
        {{ safe_divide('video_download_count', 'video_view_count') }}
            as downloads_per_view
    from {{ videos }}
{%- endmacro %}
