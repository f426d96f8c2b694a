{#- The staging rules as one select over a relation of loaded export rows: typed, checked, each row's first problem named. Used by stg_tiktok__videos, and to checksum a file before deciding to load it. -#}
{% macro stage_export_rows(export_rows) -%}
{%- set numbers = ['video_duration_sec'] + count_columns() -%}
{%- set checks = [
    ('source_row_number', 'source_row_number is null',
        'row number is missing'),
    ('video_id', 'video_id is null', 'video_id is missing'),
    ('video_id', 'video_id <= 0', 'video_id is not positive'),
    ('video_duration_sec', 'video_duration_sec_read is null',
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
        column ~ '_read is not null and ' ~ column ~ ' is null',
        column ~ ' is not a whole number')) -%}
    {%- do checks.append((column, column ~ ' < 0', column ~ ' is negative')) -%}
{%- endfor -%}
{%- for column in count_columns()[1:] -%}
    {%- do checks.append((column, column ~ ' > video_view_count',
        column ~ ' exceeds video_view_count')) -%}
{%- endfor -%}

with

export as (
    select * from {{ export_rows }}
),

typed as (
    select
        -- ids
        source_row_number,
        video_id,

        -- strings
        source_file,
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

        -- dates
        export_date,

        -- the numbers as read, for the checks and the quarantine
        {% for column in numbers %}
            {{ column }} as {{ column }}_read
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from export
),

checked as (
    {#- The first failing check as its number in the list: an integer per row
        is cheap; its column and reason are looked up for rejected rows only. -#}
    select
        *,
        case
            {% for column, failed, reason in checks %}
                when {{ failed }} then {{ loop.index }}
            {% endfor %}
        end as check_number
    from typed
),

final as (
    select
        -- ids
        source_row_number,
        video_id,

        -- strings
        source_file,
        claim_status,
        video_transcription_text,
        verified_status,
        author_ban_status,
        case check_number
            {% for column, failed, reason in checks %}
                when {{ loop.index }} then '{{ column }}'
            {% endfor %}
        end as rejected_column,
        case check_number
            {% for column, failed, reason in checks %}
                {%- if column in numbers %}
                    when {{ loop.index }}
                        then {{ number_text(column ~ '_read') }}
                {%- elif column != 'source_row_number' %}
                    when {{ loop.index }} then cast({{ column }} as string)
                {%- endif %}
            {% endfor %}
        end as rejected_value,
        case check_number
            {% for column, failed, reason in checks %}
                when {{ loop.index }} then '{{ reason }}'
            {% endfor %}
        end as rejection_reason,

        -- numerics
        video_duration_sec,
        {% for column in count_columns() %}
            {{ column }},
        {% endfor %}

        -- booleans
        check_number is not null as is_rejected,

        -- dates
        export_date
    from checked
)

select * from final
{%- endmacro %}

{#- A file's checksum: the sum, modulo 2^63, of the 64-bit hashes of its
    staged rows (every column and the row number) and of the lines the reader
    could not parse; order-independent, as 16 hex digits. Each engine hashes
    with its own function, so a ledger compares with itself only. -#}

{% macro export_checksum_modulus() -%}
    {{ return(9223372036854775808) }}
{%- endmacro %}

{% macro export_rows_checksum() -%}
    {{ return(adapter.dispatch('export_rows_checksum', 'tiktok_claims')()) }}
{%- endmacro %}

{% macro default__export_rows_checksum() -%}
    {{ exceptions.raise_compiler_error(
        "export_rows_checksum has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__export_rows_checksum (macros/staging/)"
    ) }}
{%- endmacro %}

{% macro export_row_hash_columns() -%}
    {{ return([
        'source_row_number', 'video_id', 'claim_status',
        'video_transcription_text', 'verified_status', 'author_ban_status',
        'video_duration_sec',
    ] + count_columns() + ['rejection_reason']) }}
{%- endmacro %}

{% macro duckdb__export_rows_checksum() -%}
    cast(
        sum(hash({{ export_row_hash_columns() | join(', ') }}))
        % {{ export_checksum_modulus() }} as bigint
    )
{%- endmacro %}

{% macro spark__export_rows_checksum() -%}
    cast(pmod(
        sum(cast(xxhash64({{ export_row_hash_columns() | join(', ') }}) as decimal(38, 0))),
        {{ export_checksum_modulus() }}
    ) as bigint)
{%- endmacro %}

{% macro export_lines_checksum(line) -%}
    {{ return(adapter.dispatch('export_lines_checksum', 'tiktok_claims')(line)) }}
{%- endmacro %}

{% macro default__export_lines_checksum(line) -%}
    {{ exceptions.raise_compiler_error(
        "export_lines_checksum has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__export_lines_checksum (macros/staging/)"
    ) }}
{%- endmacro %}

{% macro duckdb__export_lines_checksum(line) -%}
    cast(sum(hash({{ line }})) % {{ export_checksum_modulus() }} as bigint)
{%- endmacro %}

{% macro spark__export_lines_checksum(line) -%}
    {#- Spark reads unparsed lines in a second pass, and cannot hash them
        when probing a file: its checksum covers the parsed rows only. -#}
    cast(0 as bigint)
{%- endmacro %}

{% macro export_checksum_text(rows, lines) -%}
    {#- SQL: the checksum of a file from its rows' and lines' parts. -#}
    {{ return(adapter.dispatch('export_checksum_text', 'tiktok_claims')(rows, lines)) }}
{%- endmacro %}

{% macro default__export_checksum_text(rows, lines) -%}
    {{ exceptions.raise_compiler_error(
        "export_checksum_text has no implementation for " ~ target.type
        ~ ": add " ~ target.type ~ "__export_checksum_text (macros/staging/)"
    ) }}
{%- endmacro %}

{% macro duckdb__export_checksum_text(rows, lines) -%}
    printf('%016x', cast(
        (cast(coalesce({{ rows }}, 0) as hugeint) + coalesce({{ lines }}, 0))
        % {{ export_checksum_modulus() }} as bigint
    ))
{%- endmacro %}

{% macro spark__export_checksum_text(rows, lines) -%}
    lower(lpad(hex(cast(pmod(
        cast(coalesce({{ rows }}, 0) as decimal(20, 0)) + coalesce({{ lines }}, 0),
        {{ export_checksum_modulus() }}
    ) as bigint)), 16, '0'))
{%- endmacro %}

{% macro export_checksum_combined(rows, lines) -%}
    {#- Jinja: the same, from the two parts fetched by run_query. -#}
    {%- set total = ((rows or 0) + (lines or 0)) % export_checksum_modulus() -%}
    {{ return('%016x' | format(total)) }}
{%- endmacro %}
