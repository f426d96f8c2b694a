{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='ignore',
) }}
{#-
    ml.claim_predictions is written by `python -m ml score`, not by dbt. This
    model declares it so the semantic layer can read it: on a warehouse that
    has never been scored it creates the table empty, with score's columns;
    where the table exists (scored), a run appends no row and leaves it as it
    is (incremental, never fully refreshed). `python -m ml score` replaces it.
-#}
with

no_predictions as (
    select
        -- ids
        cast(null as bigint) as video_id,
        cast(null as {{ dbt.type_string() }}) as model_run_id,

        -- strings
        cast(null as {{ dbt.type_string() }}) as split,
        cast(null as {{ dbt.type_string() }}) as unscored_reason,
        cast(null as {{ dbt.type_string() }}) as model_name,

        -- numerics
        cast(null as double) as claim_probability,
        cast(null as bigint) as review_priority,

        -- booleans
        cast(null as boolean) as predicted_is_claim,

        -- timestamps
        cast(null as {{ dbt.type_timestamp() }}) as scored_at
)

select * from no_predictions
where false
