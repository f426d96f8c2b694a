{#-
    One row per video: the cleaned columns, the ratios and, for each count
    column, whether it exceeds that column's outlier threshold (null where the
    count is missing). The thresholds come from int_video_count_thresholds;
    the rule is the outlier_flags macro, shared with int_video_population.
-#}
{{ outlier_flags(ref('int_video_engagement_ratios')) }}
