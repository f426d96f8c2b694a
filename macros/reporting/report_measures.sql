{#- The measures the report describes, in its order: video duration, then the count columns. -#}
{% macro report_measures() -%}
    {{ return(['video_duration_sec'] + count_columns()) }}
{%- endmacro %}
