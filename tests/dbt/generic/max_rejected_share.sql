{#- One row per export file of this run whose quarantined share of input rows is above max_share: the file, its counts, its share and its three most common reasons. The same rows are logged as one line each (dbt prints a failing test's row count only). -#}
{% test max_rejected_share(
    model,
    checked_rows,
    unparsed_rows,
    max_share=var('max_rejected_share')
) %}
    {%- if max_share is not number or max_share is boolean
        or max_share < 0 or max_share > 1 -%}
        {{ exceptions.raise_compiler_error(
            "max_rejected_share must be a number from 0 to 1, got "
            ~ (max_share | tojson)
        ) }}
    {%- endif -%}

    {%- set failing_files -%}
with

quarantined_rows as (
    select
        source_file,
        rejection_reason
    from {{ model }}
    where {{ export_batch_filter() }}
),

input_rows as (
    select source_file from {{ checked_rows }}
    where {{ export_batch_filter() }}
    union all
    select source_file from {{ unparsed_rows }}
    where {{ export_batch_filter() }}
),

rows_read as (
    select
        source_file,
        count(*) as row_count
    from input_rows
    group by 1
),

rows_quarantined as (
    select
        source_file,
        count(*) as row_count
    from quarantined_rows
    group by 1
),

reasons as (
    select
        source_file,
        rejection_reason,
        count(*) as row_count
    from quarantined_rows
    group by 1, 2
),

reasons_ranked as (
    select
        source_file,
        cast(row_count as string) || ' x ' || rejection_reason as reason,
        row_number() over (
            partition by source_file
            order by row_count desc, rejection_reason
        ) as reason_rank
    from reasons
),

top_reasons as (
    select
        source_file,
        concat_ws(
            '; ',
            max(case when reason_rank = 1 then reason end),
            max(case when reason_rank = 2 then reason end),
            max(case when reason_rank = 3 then reason end)
        ) as most_common_reasons
    from reasons_ranked
    group by 1
),

shares as (
    select
        rows_read.source_file,
        rows_read.row_count as rows_read,
        rows_quarantined.row_count as rows_quarantined,
        {{ safe_divide('rows_quarantined.row_count', 'rows_read.row_count') }}
            as rejected_share,
        top_reasons.most_common_reasons
    from rows_read
    inner join rows_quarantined
        on rows_read.source_file = rows_quarantined.source_file
    inner join top_reasons
        on rows_read.source_file = top_reasons.source_file
)

select * from shares
where rejected_share > {{ max_share }}
    {%- endset -%}

    {#- The failing files, named with their path and share in one line each:
        the test's rows are not printed by dbt. -#}
    {%- if execute and flags.WHICH in ['build', 'test'] -%}
        {%- set paths = {} -%}
        {%- for file in export_batch() -%}
            {%- do paths.update({file.name: file.path}) -%}
        {%- endfor -%}
        {%- for row in run_query(failing_files).rows -%}
            {{ log(
                row[2] ~ ' of ' ~ row[1] ~ ' input rows ('
                ~ '%.1f' | format(100 * row[3]) ~ '%) of export '
                ~ paths.get(row[0], row[0]) ~ ' were rejected, more than '
                ~ 'max_rejected_share = ' ~ '%g' | format(100 * max_share)
                ~ '%. Most common reasons: ' ~ row[4] ~ '. Fix the export, or '
                ~ "raise the var: --vars '{max_rejected_share: 0.5}'.",
                info=true
            ) }}
        {%- endfor -%}
    {%- endif %}

{{ failing_files }}

{% endtest %}
