{#
    Question: when was each video labelled? From the history snapshot: the
    export that first showed the video, and the first export that showed it
    with a claim status, and how many days it waited unlabelled in between
    (0 for a video labelled when it was first exported).
#}
{#- The history snapshot is DuckDB's only (see the README's Spark section). -#}
{{ config(enabled=target.type != 'spark') }}

with

history as (
    select * from {{ ref('video_history') }}
),

first_seen as (
    select
        video_id,
        cast(min(dbt_valid_from) as date) as first_export_date
    from history
    group by 1
),

first_labelled as (
    select
        video_id,
        cast(min(dbt_valid_from) as date) as labelled_export_date
    from history
    where claim_status is not null
    group by 1
),

current_labels as (
    select
        video_id,
        claim_status
    from history
    where dbt_valid_to is null
),

labelled as (
    select
        -- ids
        first_labelled.video_id,

        -- strings
        current_labels.claim_status,

        -- dates
        first_seen.first_export_date,
        first_labelled.labelled_export_date,

        -- numerics
        datediff(
            'day', first_seen.first_export_date,
            first_labelled.labelled_export_date
        ) as days_unlabelled
    from first_labelled
    inner join first_seen on first_labelled.video_id = first_seen.video_id
    inner join current_labels
        on first_labelled.video_id = current_labels.video_id
)

select * from labelled
order by 5 desc, 1 asc
