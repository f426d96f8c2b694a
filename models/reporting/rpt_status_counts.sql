{#-
    One row per (grouping, claim status, status): videos per claim status and
    verified status (grouped_by = 'verified_status') or author ban status
    (grouped_by = 'author_ban_status'), with each cell's share of its claim
    status and of its status.
-#}
with

status_cells as (
    select * from {{ ref('rpt_status_cells') }}
),

counts as (
    {% for grouped_by in ['verified_status', 'author_ban_status'] %}
        select
            '{{ grouped_by }}' as grouped_by,
            claim_status,
            {{ grouped_by }} as status,
            cast(sum(video_count) as bigint) as video_count
        from status_cells
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

shares as (
    select
        grouped_by,
        claim_status,
        status,
        video_count,
        cast(video_count as double)
        / sum(video_count) over (partition by grouped_by, claim_status)
            as share_of_claim_status,
        cast(video_count as double)
        / sum(video_count) over (partition by grouped_by, status)
            as share_of_status
    from counts
)

select * from shares
