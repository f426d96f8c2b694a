{#- One version per (video, export file): the valid staged rows of an id that a file carries once, and the kept row of an id it repeats. A union of a scan and a small table: no ranking of all rows. -#}
{% macro video_versions(videos, duplicate_video_ids, columns, where='true') -%}
    select
        {% for column in columns -%}
            {{ videos }}.{{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ videos }}
    left join {{ duplicate_video_ids }}
        on
            {{ videos }}.source_file = {{ duplicate_video_ids }}.source_file
            and {{ videos }}.video_id = {{ duplicate_video_ids }}.video_id
    where
        not {{ videos }}.is_rejected
        and {{ duplicate_video_ids }}.video_id is null
        and {{ where }}
    union all
    select
        {% for column in columns -%}
            {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ duplicate_video_ids }}
    where {{ where }}
{%- endmacro %}
