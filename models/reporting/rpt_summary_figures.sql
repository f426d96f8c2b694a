{#-
    One row: the summary page's figures about the warehouse (counts, shares,
    medians and their ratios, mean per-view rates, outliers), each named as
    the report names it. Sums over rpt_status_cells and picks from
    rpt_measure_stats and rpt_outliers, and counts the training rows over
    int_video_population (marts.claim_features' rule, training_videos).
-#}
with

status_cells as (
    select * from {{ ref('rpt_status_cells') }}
),

measure_stats as (
    select * from {{ ref('rpt_measure_stats') }}
),

outliers as (
    select * from {{ ref('rpt_outliers') }}
),

population as (
    select * from {{ ref('int_video_population') }}
),

decisions as (
    select * from {{ ref('stg_moderation__decisions') }}
),

{%- set labeled = "claim_status != 'unlabeled'" %}

counts as (
    select
        sum(video_count) as videos_total,
        sum(case when {{ labeled }} then video_count end) as videos_labeled,
        sum(case when claim_status = 'unlabeled' then video_count end)
            as videos_unlabeled,
        sum(complete_video_count) as videos_complete,
        sum(incomplete_video_count) as videos_incomplete,
        sum(case when claim_status = 'claim' then video_count end) as claims,
        sum(case when claim_status = 'opinion' then video_count end)
            as opinions,
        sum(
            case
                when {{ labeled }} and verified_status = 'verified'
                    then video_count
            end
        ) as verified_labeled,
        sum(
            case
                when claim_status = 'opinion' and verified_status = 'verified'
                    then video_count
            end
        ) as verified_opinions,
        sum(
            case
                when claim_status = 'claim' and author_ban_status != 'active'
                    then video_count
            end
        ) as claims_not_active,
        sum(
            case
                when
                    claim_status = 'opinion' and author_ban_status != 'active'
                    then video_count
            end
        ) as opinions_not_active,
        sum(outlier_video_count) as videos_any_outlier,
        {{ safe_divide(
            "sum(case when claim_status = 'claim' then total_views end)",
            'sum(total_views)',
        ) }} as claim_share_of_views,
        {% for rate, label in per_view_rates() %}
            {% for status in ['claim', 'opinion'] %}
                {{ safe_divide(
                    "sum(case when claim_status = '" ~ status
                    ~ "' then sum_" ~ rate ~ " end)",
                    "sum(case when claim_status = '" ~ status
                    ~ "' then count_" ~ rate ~ " end)",
                ) }} as mean_{{ rate }}_{{ status }}
                {%- if not loop.last %},{% endif %}
            {% endfor %}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from status_cells
),

{%- set medians = [
    ('median_views_claim', 'video_view_count', 'claim_status', 'claim'),
    ('median_views_opinion', 'video_view_count', 'claim_status', 'opinion'),
    ('median_views_active', 'video_view_count', 'author_ban_status', 'active'),
    (
        'median_views_under_review',
        'video_view_count',
        'author_ban_status',
        'under review',
    ),
    ('median_views_banned', 'video_view_count', 'author_ban_status', 'banned'),
    (
        'median_shares_active',
        'video_share_count',
        'author_ban_status',
        'active',
    ),
    (
        'median_shares_banned',
        'video_share_count',
        'author_ban_status',
        'banned',
    ),
] %}

medians as (
    select
        {% for name, measure, grouped_by, status in medians %}
            max(
                case
                    when
                        measure = '{{ measure }}'
                        and grouped_by = '{{ grouped_by }}'
                        and group_name = '{{ status }}'
                        then median
                end
            ) as {{ name }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from measure_stats
),

outliers_wide as (
    select
        {% for column in count_columns() %}
            max(
                case
                    when column_name = '{{ column }}' then outlier_count
                end
            ) as outliers_{{ column }},
            max(case when column_name = '{{ column }}' then threshold end)
                as outlier_threshold_{{ column }},
        {% endfor %}
        max(outlier_method) as outlier_method,
        max(outlier_iqr_multiplier) as outlier_iqr_multiplier
    from outliers
),

ranked_outliers as (
    select
        column_name,
        row_number() over (
            order by outlier_count asc, column_position asc
        ) as fewest_rank,
        row_number() over (
            order by outlier_count desc, column_position asc
        ) as most_rank
    from outliers
),

-- The first column in the report's order wins a tie, as pandas' idxmin.
outlier_extremes as (
    select
        max(case when fewest_rank = 1 then column_name end)
            as outliers_fewest_column,
        max(case when most_rank = 1 then column_name end)
            as outliers_most_column
    from ranked_outliers
),

-- marts.claim_features' row count, by its rule over the narrow population
-- (counting the mart itself reads every transcript).
training as (
    select count(*) as training_rows
    {{ training_videos('population', 'decisions') }}
),

summary_figures as (
    select
        {% for name in [
            'videos_total', 'videos_labeled', 'videos_unlabeled',
            'videos_complete', 'videos_incomplete', 'claims', 'opinions',
            'verified_labeled', 'verified_opinions', 'claims_not_active',
            'opinions_not_active', 'videos_any_outlier',
        ] %}
            {#- A group with no video counts 0 (a sum over no rows is null). -#}
            cast(coalesce(counts.{{ name }}, 0) as bigint) as {{ name }},
        {% endfor %}
        cast(training.training_rows as bigint) as training_rows,
        {% for name, numerator, denominator in [
            ('labeled_share', 'videos_labeled', 'videos_total'),
            ('complete_share', 'videos_complete', 'videos_total'),
            ('claim_share', 'claims', 'videos_labeled'),
            ('opinion_share', 'opinions', 'videos_labeled'),
            ('verified_opinion_share', 'verified_opinions', 'verified_labeled'),
            ('claims_not_active_share', 'claims_not_active', 'claims'),
            ('opinions_not_active_share', 'opinions_not_active', 'opinions'),
            ('any_outlier_share', 'videos_any_outlier', 'videos_total'),
        ] %}
            {{ safe_divide('counts.' ~ numerator, 'counts.' ~ denominator) }}
                as {{ name }},
        {% endfor %}
        {% for name, measure, grouped_by, status in medians %}
            medians.{{ name }},
        {% endfor %}
        counts.claim_share_of_views,
        {% for name, numerator, denominator in [
            (
                'median_views_claim_to_opinion',
                'median_views_claim',
                'median_views_opinion',
            ),
            (
                'median_views_banned_to_active',
                'median_views_banned',
                'median_views_active',
            ),
            (
                'median_shares_banned_to_active',
                'median_shares_banned',
                'median_shares_active',
            ),
        ] %}
            {{ safe_divide('medians.' ~ numerator, 'medians.' ~ denominator) }}
                as {{ name }},
        {% endfor %}
        {% for rate, label in per_view_rates() %}
            {% for status in ['claim', 'opinion'] %}
                counts.mean_{{ rate }}_{{ status }},
            {% endfor %}
        {% endfor %}
        {% for column in count_columns() %}
            cast(outliers_wide.outliers_{{ column }} as bigint)
                as outliers_{{ column }},
            outliers_wide.outlier_threshold_{{ column }},
        {% endfor %}
        outliers_wide.outlier_iqr_multiplier,

        -- strings
        outlier_extremes.outliers_fewest_column,
        outlier_extremes.outliers_most_column,
        outliers_wide.outlier_method
    from counts
    cross join medians
    cross join outliers_wide
    cross join outlier_extremes
    cross join training
)

select * from summary_figures
