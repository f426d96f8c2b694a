{#-
    One row per video in its latest state, without the transcript: the
    stored int_video_states, the engagement ratios and the outlier flags (the
    engagement_ratios and outlier_flags macros, as the view chain down to
    marts.videos has them). What the aggregates over the whole population
    read: a narrow table, not the view chain over the export parts.
-#}
{{ outlier_flags(
    '(' ~ engagement_ratios(ref('int_video_states')) ~ ') as states'
) }}
