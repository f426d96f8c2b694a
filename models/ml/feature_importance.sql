{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='ignore',
) }}
{#-
    ml.feature_importance is written by `python -m ml train`, not by dbt. This
    model declares it as ml.claim_predictions is declared (see that model):
    created empty where the command has never run, never overwritten. Every
    column the command writes is declared here.
-#}
with

no_rows as (
    select
        -- ids
        cast(null as {{ dbt.type_string() }}) as run_id,

        -- strings
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as feature,

        -- numerics
        cast(null as double) as importance,
        cast(null as double) as std
)

select * from no_rows
where false
