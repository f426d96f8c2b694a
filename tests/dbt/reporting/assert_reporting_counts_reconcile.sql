{#-
    Every reporting count adds up to the same population: per measure, the
    histogram bins hold every video with a value (rpt_measure_stats), the
    box plots' groups hold them too, and the status cells hold every video of
    rpt_measure_stats (which rpt_status_cells' own test ties to the
    population, and marts.engagement_by_status' the population to
    marts.videos).
    Returns the measures and figures that do not reconcile.
-#}
with

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

histograms as (
    select * from {{ ref('rpt_histograms') }}
),

distribution_stats as (
    select * from {{ ref('rpt_distribution_stats') }}
),

status_cells as (
    select * from {{ ref('rpt_status_cells') }}
),

all_videos as (
    select
        measure,
        video_count,
        value_count
    from measure_stats
    where grouped_by = 'all'
),

binned as (
    select
        measure,
        sum(video_count) as binned_count
    from histograms
    group by 1
),

boxed as (
    select
        measure,
        sum(video_count) as boxed_count
    from distribution_stats
    where group_name != 'all videos'
    group by 1
),

cells as (
    select sum(video_count) as cell_count
    from status_cells
)

select
    all_videos.measure,
    all_videos.video_count,
    all_videos.value_count,
    binned.binned_count,
    boxed.boxed_count,
    cells.cell_count
from all_videos
left join binned on all_videos.measure = binned.measure
left join boxed on all_videos.measure = boxed.measure
cross join cells
where
    coalesce(binned.binned_count, 0) != all_videos.value_count
    or coalesce(boxed.boxed_count, 0) != all_videos.value_count
    or cells.cell_count != all_videos.video_count
