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
    select * from {{ ref('videos') }}
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

ranked as (
    select
        *,
        row_number() over (order by sample_key, video_id) as rank_all,
        row_number() over (
            partition by claim_status order by sample_key, video_id
        ) as rank_in_status,
        count(*) over () as population_all,
        count(*) over (partition by claim_status) as population_in_status
    from candidates
),

samples as (
    select
        false as is_opinions_only,
        rank_all as sample_rank,
        video_id,
        claim_status,
        video_view_count,
        video_like_count,
        population_all as population
    from ranked
    where rank_all <= {{ rows }}
    union all
    select
        true as is_opinions_only,
        rank_in_status as sample_rank,
        video_id,
        claim_status,
        video_view_count,
        video_like_count,
        population_in_status as population
    from ranked
    where claim_status = 'opinion' and rank_in_status <= {{ rows }}
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
