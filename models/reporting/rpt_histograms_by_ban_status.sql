{#-
    One row per (measure, bin, claim status, author ban status) holding videos:
    the histograms' counts. One scan of int_video_population: each video gets
    a bin per measure, counted in one grouping set per measure.
-#}
with

videos as (
    select * from {{ ref('int_video_population') }}
),

binnings as (
    select * from {{ ref('rpt_histogram_binnings') }}
),

binnings_wide as (
    select
        {% for measure in report_measures() %}
            max(case when measure = '{{ measure }}' then width end)
                as {{ measure }}__width,
            max(case when measure = '{{ measure }}' then is_log end)
                as {{ measure }}__is_log
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from binnings
),

binned_videos as (
    select
        -- strings
        coalesce(videos.claim_status, 'unlabeled') as claim_status,
        videos.author_ban_status,

        -- numerics
        {% for measure in report_measures() %}
            {{ histogram_bin_key(
                'cast(videos.' ~ measure ~ ' as double)',
                'binnings_wide.' ~ measure ~ '__width',
                'binnings_wide.' ~ measure ~ '__is_log',
            ) }} as {{ measure }}__bin_key
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from videos
    cross join binnings_wide
),

bin_counts_wide as (
    select
        claim_status,
        author_ban_status,
        {% for measure in report_measures() %}
            {{ measure }}__bin_key,
            grouping({{ measure }}__bin_key) as {{ measure }}__is_rolled_up,
        {% endfor %}
        count(*) as video_count
    from binned_videos
    group by grouping sets (  -- noqa: PRS, AM06
        {% for measure in report_measures() %}
            (claim_status, author_ban_status, {{ measure }}__bin_key)
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    )
),

bin_counts as (
    {% for measure in report_measures() %}
        select
            '{{ measure }}' as measure,
            claim_status,
            author_ban_status,
            {{ measure }}__bin_key as bin_key,
            video_count
        from bin_counts_wide
        where
            {{ measure }}__is_rolled_up = 0
            and {{ measure }}__bin_key is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

histograms as (
    select
        -- strings
        bin_counts.measure,

        -- numerics
        binnings.width,

        -- strings
        bin_counts.claim_status,
        bin_counts.author_ban_status,

        -- numerics
        cast(bin_counts.video_count as bigint) as video_count,
        cast(
            {{ histogram_bin_start('bin_counts.bin_key', 'binnings.is_log') }}
            as double
        ) as bin_start,
        cast(
            {{ histogram_bin_end(
                'bin_counts.bin_key', 'binnings.width', 'binnings.is_log'
            ) }} as double
        ) as bin_end
    from bin_counts
    inner join binnings on bin_counts.measure = binnings.measure
)

select * from histograms
