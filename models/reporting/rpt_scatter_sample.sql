{#-
    One row per sampled video and sample: the views-vs-likes scatter's
    deterministic samples of at most var('report_scatter_sample_rows') labeled
    videos with views and likes: all of them (is_opinions_only false) and the
    opinions only (true). The sample is the videos with the smallest
    sample_order_key(video_id) (DuckDB's hash, ties broken by video_id): the
    same videos on every run, drawn without regard to any other column.
    population is how many videos the sample was drawn from. Spark's key is
    another hash, so its sample differs (same size and population).
-#}
{%- set rows = var('report_scatter_sample_rows', 2000) -%}
with

videos as (
    select * from {{ ref('int_video_population') }}
),

candidates as (
    select
        -- ids
        video_id,

        -- strings
        claim_status,

        -- numerics
        video_view_count,
        video_like_count,
        {{ sample_order_key('video_id') }} as sample_key
    from videos
    where
        claim_status is not null
        and video_view_count is not null
        and video_like_count is not null
),

populations as (
    select
        count(*) as population_all,
        count_if(claim_status = 'opinion') as population_opinions
    from candidates
),

-- Two top-N sorts (limit): far cheaper than ranking every candidate.
sample_all as (
    select
        sample_key,
        video_id,
        claim_status,
        video_view_count,
        video_like_count
    from candidates
    order by 1, 2
    limit {{ rows }}
),

sample_opinions as (
    select
        sample_key,
        video_id,
        claim_status,
        video_view_count,
        video_like_count
    from candidates
    where claim_status = 'opinion'
    order by 1, 2
    limit {{ rows }}
),

samples as (
    select
        false as is_opinions_only,
        row_number() over (
            order by sample_all.sample_key, sample_all.video_id
        ) as sample_rank,
        sample_all.video_id,
        sample_all.claim_status,
        sample_all.video_view_count,
        sample_all.video_like_count,
        populations.population_all as population
    from sample_all
    cross join populations
    union all
    select
        true as is_opinions_only,
        row_number() over (
            order by sample_opinions.sample_key, sample_opinions.video_id
        ) as sample_rank,
        sample_opinions.video_id,
        sample_opinions.claim_status,
        sample_opinions.video_view_count,
        sample_opinions.video_like_count,
        populations.population_opinions as population
    from sample_opinions
    cross join populations
)

select
    -- booleans
    is_opinions_only,

    -- numerics
    cast(sample_rank as bigint) as sample_rank,

    -- ids
    video_id,

    -- strings
    claim_status,

    -- numerics
    video_view_count,
    video_like_count,
    cast(population as bigint) as population
from samples
