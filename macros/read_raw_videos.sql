{#- A table expression reading an export file (CSV or Parquet) with the engine's own reader and explicit types. -#}
{% macro read_raw_videos(path) -%}
    {{ return(adapter.dispatch('read_raw_videos', 'tiktok_claims')(path)) }}
{%- endmacro %}

{% macro duckdb__read_raw_videos(path) -%}
    {%- set lowered = path | string | lower -%}
    {%- if lowered.endswith('.parquet') -%}
        read_parquet({{ sql_string_literal(path) }})
    {%- else -%}
        read_csv(
            {{ sql_string_literal(path) }},
            header = true,
            delim = ',',
            quote = '"',
            escape = '"',
            auto_detect = false,
            columns = {
                '#': 'bigint',
                'claim_status': 'varchar',
                'video_id': 'bigint',
                'video_duration_sec': 'integer',
                'video_transcription_text': 'varchar',
                'verified_status': 'varchar',
                'author_ban_status': 'varchar',
                'video_view_count': 'bigint',
                'video_like_count': 'bigint',
                'video_share_count': 'bigint',
                'video_download_count': 'bigint',
                'video_comment_count': 'bigint'
            }
        )
    {%- endif -%}
{%- endmacro %}
