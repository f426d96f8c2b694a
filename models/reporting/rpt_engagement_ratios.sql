{#-
    One row per (claim status, author ban status, per-view rate), labeled
    videos only: the rate's mean and median, from marts.engagement_by_status.
-#}
with

engagement_by_status as (
    select * from {{ ref('engagement_by_status') }}
),

ratios as (
    {% for rate, label in per_view_rates() %}
        select
            claim_status,
            author_ban_status,
            video_count,
            '{{ rate }}' as ratio,
            mean_{{ rate }} as mean_value,
            median_{{ rate }} as median_value,
            '{{ label }}' as ratio_label
        from engagement_by_status
        where is_labeled
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from ratios
