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
    Every column score writes is declared here: the append selects the
    existing table's columns from this model, so a column missing here fails
    the next build after a scoring run.
-#}
with

no_predictions as (
    select
        -- ids
        cast(null as bigint) as video_id,
        cast(null as bigint) as source_row_number,
        cast(null as {{ dbt.type_string() }}) as model_run_id,

        -- strings
        cast(null as {{ dbt.type_string() }}) as split,
        cast(null as {{ dbt.type_string() }}) as review_reason,
        cast(null as {{ dbt.type_string() }}) as unscored_reason,
        cast(null as {{ dbt.type_string() }}) as scoring_model,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_string() }}) as model_name,

        -- numerics
        cast(null as double) as claim_probability,
        cast(null as bigint) as review_priority,
        cast(null as double) as reach,

        -- booleans
        cast(null as boolean) as predicted_is_claim,
        cast(null as boolean) as needs_review,

        -- timestamps
        cast(null as {{ dbt.type_timestamp() }}) as scored_at
)

select * from no_predictions
where false
