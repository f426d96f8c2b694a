{#-
    History: each video's statuses and counts, one row per version, valid from
    the export that brought it to the next export that changed it. Validity
    dates are export dates, not the wall clock, so loading the same files in
    the same order gives the same table. Each run offers the current state of
    the videos its new files hold; python -m warehouse loads one export per run,
    so every export's changes are kept.
-#}
{% snapshot video_history %}

    {#- dbt-spark snapshots need Delta, Iceberg or Hudi tables (a merge);
        on plain Parquet tables there is none (see README, Spark). -#}
    {{ config(
        enabled=target.type != 'spark',
        unique_key='video_id',
        strategy='check',
        check_cols=[
            'claim_status', 'verified_status', 'author_ban_status',
        ] + count_columns(),
        updated_at='exported_at',
    ) }}

    select
        -- ids
        video_id,

        -- strings
        source_file,
        claim_status,
        verified_status,
        author_ban_status,

        -- numerics
        {% for column in count_columns() %}
            {{ column }},
        {% endfor %}

        -- timestamps
        cast(latest_export_date as timestamp) as exported_at
    from {{ ref('int_videos_cleaned') }}
    where {{ export_batch_filter() }}

{% endsnapshot %}
