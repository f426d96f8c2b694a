{#-
    One row per video a moderator decided: the latest decision (claim or
    opinion), when and by whom. Read from the file named by the
    `moderator_decisions_path` var, else from the synthetic seed
    moderator_decisions. Decisions that are neither claim nor opinion, or
    without a video_id, are dropped.
-#}
{%- set path = var('moderator_decisions_path', none) -%}
with

decisions as (
    {% if path %}
        select * from read_csv('{{ path }}', header = true, all_varchar = true)
    {% else %}
        select * from {{ ref('moderator_decisions') }}
    {% endif %}
),

typed as (
    select
        -- strings
        cast(moderator as string) as moderator,

        -- ids
        try_cast(video_id as bigint) as video_id,

        -- strings
        lower(trim(cast(decision as string))) as decision,

        -- timestamps
        try_cast(decided_at as timestamp) as decided_at
    from decisions
),

latest as (
    select
        video_id,
        decision,
        moderator,
        decided_at,
        row_number() over (
            partition by video_id order by decided_at desc, moderator asc
        ) as decision_rank
    from typed
    where
        video_id is not null
        and decision in ('claim', 'opinion')
)

select
    video_id,
    decision,
    moderator,
    decided_at
from latest
where decision_rank = 1
