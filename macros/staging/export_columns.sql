{#- The export's columns besides its row number, in export order. -#}
{% macro export_columns() -%}
    {{ return([
        'claim_status',
        'video_id',
        'video_duration_sec',
        'video_transcription_text',
        'verified_status',
        'author_ban_status',
    ] + count_columns()) }}
{%- endmacro %}
