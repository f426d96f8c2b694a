{#- The five engagement count columns of the export, in export order: the one list every model and test uses. -#}
{% macro count_columns() -%}
    {{ return([
        'video_view_count',
        'video_like_count',
        'video_share_count',
        'video_download_count',
        'video_comment_count',
    ]) }}
{%- endmacro %}
