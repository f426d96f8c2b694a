{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='ignore',
) }}
{#-
    ml.evaluation_capture is written by `python -m ml score`, not by dbt. This
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
        cast(null as {{ dbt.type_string() }}) as split,
        cast(null as {{ dbt.type_string() }}) as ordering,

        -- numerics
        cast(null as bigint) as percent_reviewed,
        cast(null as bigint) as reviewed,
        cast(null as bigint) as caught,
        cast(null as double) as caught_share,
        cast(null as double) as caught_views,
        cast(null as double) as caught_views_share
)

select * from no_rows
where false
