{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='ignore',
) }}
{#-
    ml.evaluation_precision_recall is written by `python -m ml score`, not by dbt. This
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

        -- numerics
        cast(null as double) as threshold,
        cast(null as double) as recall,
        cast(null as double) as precision,  -- noqa: RF04
        cast(null as bigint) as flagged,
        cast(null as bigint) as caught
)

select * from no_rows
where false
