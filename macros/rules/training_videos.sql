{#- The training rule: which videos the classifier trains on. The from-and-where clause over `videos` (aliased videos) and `decisions` (aliased decisions): every video with complete features that has a label, the export's or a moderator's. Written once for marts.claim_features and for the report's count of its rows. -#}
{% macro training_videos(videos, decisions) -%}
    from {{ videos }} as videos
    left join {{ decisions }} as decisions
        on videos.video_id = decisions.video_id
    where
        (videos.is_labeled or decisions.video_id is not null)
        and videos.has_complete_features
{%- endmacro %}
