{#
    Question: which authors were banned after their claim videos went viral?
    The export has no author id, so the answer is per claim video: those whose
    history shows the views go above the view outlier threshold (the
    project's one outlier rule, marts.outlier_summary) and, at that export or
    a later one, the author go from active or under review to banned.
#}
{#- The history snapshot is DuckDB's only (see the README's Spark section). -#}
{{ config(enabled=target.type != 'spark') }}

with

history as (
    select * from {{ ref('video_history') }}
),

outlier_summary as (
    select * from {{ ref('outlier_summary') }}
),

view_threshold as (
    select threshold
    from outlier_summary
    where column_name = 'video_view_count'
),

claims as (
    select video_id
    from history
    where dbt_valid_to is null and claim_status = 'claim'
),

went_viral as (
    select
        history.video_id,
        cast(min(history.dbt_valid_from) as date) as viral_export_date,
        min(history.video_view_count) as views_when_viral
    from history
    cross join view_threshold
    where history.video_view_count > view_threshold.threshold
    group by 1
),

banned as (
    select
        video_id,
        cast(min(dbt_valid_from) as date) as banned_export_date
    from history
    where author_ban_status = 'banned'
    group by 1
),

not_banned_before as (
    select
        video_id,
        cast(min(dbt_valid_from) as date) as first_export_date
    from history
    where author_ban_status != 'banned'
    group by 1
),

banned_after_viral as (
    select
        -- ids
        claims.video_id,

        -- numerics
        went_viral.views_when_viral,

        -- dates
        went_viral.viral_export_date,
        banned.banned_export_date,

        -- numerics
        datediff(
            'day', went_viral.viral_export_date, banned.banned_export_date
        ) as days_from_viral_to_ban
    from claims
    inner join went_viral on claims.video_id = went_viral.video_id
    inner join banned on claims.video_id = banned.video_id
    inner join not_banned_before
        on claims.video_id = not_banned_before.video_id
    where
        banned.banned_export_date >= went_viral.viral_export_date
        and not_banned_before.first_export_date < banned.banned_export_date
)

select * from banned_after_viral
order by 4 asc, 1 asc
