{#-
    One row per measure: how its histograms are binned, from its range over
    all videos. Duration gets round linear bins (1, 2, 2.5 or 5 x 10^k
    seconds); the counts, which span five or six powers of ten, get bins of
    equal width in log10(value + 1). About var('report_histogram_bins') bins.
-#}
{%- set bins = var('report_histogram_bins', 40) -%}
with

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

all_videos as (
    select
        measure,
        min_value,
        max_value
    from measure_stats
    where grouped_by = 'all' and value_count > 0
),

binnings as (
    select
        measure,
        cast(
            case
                when measure = 'video_duration_sec'
                    then {{ nice_bin_width(
                        'max_value - least(0, min_value)', bins
                    ) }}
                else {{ log_bin_width('max_value', bins) }}
            end as double
        ) as width,
        measure != 'video_duration_sec' as is_log
    from all_videos
)

select * from binnings
