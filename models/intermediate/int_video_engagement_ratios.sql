{#-
    One row per video: the cleaned columns and each engagement count per view
    (null where views are null or zero). A projection of int_videos_cleaned,
    so the chain down to marts.videos is one scan, never a join. The rule is
    the engagement_ratios macro, shared with int_video_population.
-#}
{{ engagement_ratios(ref('int_videos_cleaned')) }}
