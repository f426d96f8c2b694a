{#-
    One row per parsed input row: the export typed (text that is no whole
    number becomes null), renamed (`#` becomes source_row_number), enum values
    trimmed and lower-cased, and each row's first problem named in
    rejection_reason (null for a valid row). Checks run in the order below;
    among valid rows sharing a video_id, the first in the file is kept.
-#}
{%- set checks = [
    ('source_row_number', 'source_row_number is null',
        'row number is missing or not a whole number'),
    ('video_id', 'video_id_text is null', 'video_id is missing'),
    ('video_id', 'video_id is null', 'video_id is not a whole number'),
    ('video_id', 'video_id <= 0', 'video_id is not positive'),
    ('video_duration_sec', 'video_duration_sec_text is null',
        'duration is missing'),
    ('video_duration_sec', 'video_duration_sec is null',
        'duration is not a whole number'),
    ('video_duration_sec', 'video_duration_sec <= 0',
        'duration is zero or negative'),
    ('claim_status', "claim_status not in ('claim', 'opinion')",
        'claim_status is not claim or opinion'),
    ('verified_status', 'verified_status is null', 'verified_status is missing'),
    ('verified_status', "verified_status not in ('verified', 'not verified')",
        'verified_status is not verified or not verified'),
    ('author_ban_status', 'author_ban_status is null',
        'author_ban_status is missing'),
    ('author_ban_status',
        "author_ban_status not in ('active', 'under review', 'banned')",
        'author_ban_status is not active, under review or banned'),
] -%}
{%- for column in count_columns() -%}
    {%- do checks.append((column,
        column ~ '_text is not null and ' ~ column ~ ' is null',
        column ~ ' is not a whole number')) -%}
    {%- do checks.append((column, column ~ ' < 0', column ~ ' is negative')) -%}
{%- endfor -%}
{%- for column in count_columns()[1:] -%}
    {%- do checks.append((column, column ~ ' > video_view_count',
        column ~ ' exceeds video_view_count')) -%}
{%- endfor -%}

with

export as (
    select * from {{ ref('tiktok_export') }}
),

typed as (
    select
        -- ids
        {{ whole_number('source_row_number') }} as source_row_number,
        {{ whole_number('video_id') }} as video_id,

        -- strings
        nullif(lower(trim(claim_status)), '') as claim_status,
        case
            when trim(video_transcription_text) != ''
                then video_transcription_text
        end as video_transcription_text,
        nullif(lower(trim(verified_status)), '') as verified_status,
        nullif(lower(trim(author_ban_status)), '') as author_ban_status,

        -- numerics
        {% for column in count_columns() %}
            {{ whole_number(column) }} as {{ column }},
        {% endfor %}
        cast({{ whole_number('video_duration_sec') }} as integer)
            as video_duration_sec,

        -- the text as read, for the checks and the quarantine
        {% for column in ['video_id', 'video_duration_sec'] + count_columns() %}
            nullif(trim({{ column }}), '') as {{ column }}_text,
        {% endfor %}
        source_row_number as source_row_number_text
    from export
),

checked as (
    select
        *,
        case
            {% for column, failed, reason in checks %}
                when {{ failed }} then '{{ column }}'
            {% endfor %}
        end as check_column,
        case
            {% for column, failed, reason in checks %}
                when {{ failed }} then '{{ reason }}'
            {% endfor %}
        end as check_failure
    from typed
),

first_valid_rows as (
    select
        *,
        min(
            case when check_failure is null then source_row_number end
        ) over (partition by video_id) as first_valid_row_number
    from checked
),

deduplicated as (
    select
        *,
        case
            when check_failure is not null then check_column
            when source_row_number > first_valid_row_number then 'video_id'
        end as rejected_column,
        case
            when check_failure is not null then check_failure
            when source_row_number > first_valid_row_number
                then
                    'duplicate video_id: row '
                    || cast(first_valid_row_number as varchar)
                    || ' has it and is kept'
        end as rejection_reason
    from first_valid_rows
),

final as (
    select
        -- ids
        source_row_number,
        video_id,

        -- strings
        claim_status,
        video_transcription_text,
        verified_status,
        author_ban_status,
        rejected_column,
        case
            when rejected_column = 'source_row_number'
                then source_row_number_text
            when rejected_column = 'claim_status' then claim_status
            when rejected_column = 'verified_status' then verified_status
            when rejected_column = 'author_ban_status' then author_ban_status
            {% for column in ['video_id', 'video_duration_sec']
                + count_columns() %}
                when rejected_column = '{{ column }}' then {{ column }}_text
            {% endfor %}
        end as rejected_value,
        rejection_reason,

        -- numerics
        video_duration_sec,
        {% for column in count_columns() %}
            {{ column }},
        {% endfor %}

        -- booleans
        rejection_reason is not null as is_rejected
    from deduplicated
)

select * from final
