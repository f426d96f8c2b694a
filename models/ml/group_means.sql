{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='ignore',
) }}
{#-
    ml.group_means is written by `python -m ml stats`, not by dbt. This
    model declares it as ml.claim_predictions is declared (see that model):
    created empty where the command has never run, never overwritten. Every
    column the command writes is declared here.
-#}
with

no_rows as (
    select
        -- strings
        cast(null as {{ dbt.type_string() }}) as verified_status,

        -- numerics
        cast(null as bigint) as videos,
        cast(null as double) as mean_views,
        cast(null as double) as sd_views,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high,
        cast(null as double) as confidence,

        -- timestamps
        cast(null as {{ dbt.type_timestamp() }}) as computed_at
)

select * from no_rows
where false
