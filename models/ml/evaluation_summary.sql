{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='ignore',
) }}
{#-
    ml.evaluation_summary is written by `python -m ml score`, not by dbt. This
    model declares it as ml.claim_predictions is declared (see that model):
    created empty where the command has never run, never overwritten. Every
    column the command writes is declared here.
-#}
with

no_rows as (
    select
        -- ids
        cast(null as {{ dbt.type_string() }}) as model_run_id,

        -- strings
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as split,

        -- numerics
        cast(null as bigint) as videos,
        cast(null as bigint) as claims,
        cast(null as bigint) as true_positive,
        cast(null as bigint) as false_positive,
        cast(null as bigint) as false_negative,
        cast(null as bigint) as true_negative,
        cast(null as double) as precision,  -- noqa: RF04
        cast(null as double) as recall,
        cast(null as double) as accuracy,
        cast(null as double) as brier,
        cast(null as bigint) as top_n,
        cast(null as bigint) as top_n_caught,
        cast(null as bigint) as queue_videos,
        cast(null as bigint) as queue_flagged,
        cast(null as bigint) as queue_unscored,
        cast(null as bigint) as backlog_unlabeled,
        cast(null as bigint) as backlog_unlabeled_flagged,
        cast(null as bigint) as backlog_unlabeled_unscored
)

select * from no_rows
where false
