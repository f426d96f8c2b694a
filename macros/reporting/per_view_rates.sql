{#- The per-view rates the report draws, in its order, each with its human name. -#}
{% macro per_view_rates() -%}
    {{ return([
        ('likes_per_view', 'Likes per view'),
        ('comments_per_view', 'Comments per view'),
        ('shares_per_view', 'Shares per view'),
    ]) }}
{%- endmacro %}
