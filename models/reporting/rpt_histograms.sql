{#-
    One row per (measure, bin, claim status) holding videos: the distribution
    page's histograms, rpt_histograms_by_ban_status summed over ban statuses.
-#}
with

histograms_by_ban_status as (
    select * from {{ ref('rpt_histograms_by_ban_status') }}
),

histograms as (
    select
        measure,
        width,
        claim_status,
        cast(sum(video_count) as bigint) as video_count,
        bin_start,
        bin_end
    from histograms_by_ban_status
    group by 1, 2, 3, 5, 6
)

select * from histograms
