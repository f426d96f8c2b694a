"""The executive summary page: tiles, the findings in words, the dashboard, the model's
headline figures and the limits of the data."""

from __future__ import annotations

from report.facts import Facts
from report.figures import Figure, Page, Section, tile
from report.pages.model import ModelSection


def summary_page(facts: Facts, dashboard: Figure, model: ModelSection | None) -> Page:
    """The executive summary: tiles, findings in words, the dashboard, model and ethics."""
    f = facts.html
    tiles = [
        tile(f("videos_total"), "reported videos in the warehouse"),
        tile(f("labeled_share"), "carry a claim/opinion label"),
        tile(f("claim_share"), "of labeled videos are claims", "claim"),
        tile(
            f("median_views_claim_to_opinion") + "&times;",
            "median views, claims vs opinions",
            "claim",
        ),
        tile(f("claim_share_of_views"), "of all views go to claims", "claim"),
    ]
    if model is not None:
        tiles += model.tiles(facts)
    data = f"""
<ul class="prose">
<li><strong>Dataset.</strong> The warehouse holds {f("videos_total")} reported videos.
{f("videos_labeled")} ({f("labeled_share")}) are labeled claim or opinion;
{f("videos_unlabeled")} have no label. {f("videos_complete")} ({f("complete_share")}) have a
transcript and all five engagement counts; {f("videos_incomplete")} lack some of them. They stay
in the warehouse, counted, and in the review queue, where a person looks at them.
The classifier trains on the {f("training_rows")} labeled, complete videos.</li>
<li><strong>Class balance.</strong> {f("claims")} claims ({f("claim_share")}) and
{f("opinions")} opinions ({f("opinion_share")}): the classes are balanced, so accuracy is not
flattered by a majority class.</li>
<li><strong>Engagement.</strong> Claims are watched far more: a median of
{f("median_views_claim")} views against {f("median_views_opinion")} for opinions
({f("median_views_claim_to_opinion")} times), and they draw {f("claim_share_of_views")} of all
views. Per view, too, claims get more likes ({f("mean_likes_per_view_claim")} against
{f("mean_likes_per_view_opinion")} on average), shares ({f("mean_shares_per_view_claim")} against
{f("mean_shares_per_view_opinion")}) and comments ({f("mean_comments_per_view_claim")} against
{f("mean_comments_per_view_opinion")}).</li>
<li><strong>Authors.</strong> Median views are {f("median_views_active")} for active authors,
{f("median_views_under_review")} for authors under review and {f("median_views_banned")} for banned
authors ({f("median_views_banned_to_active")} times active); banned authors' median share count
is {f("median_shares_banned_to_active")} times active authors'. {f("claims_not_active_share")} of
claims but only {f("opinions_not_active_share")} of opinions come from banned or under-review
authors. This says nothing about which video caused a ban. Verified accounts post mostly
opinions ({f("verified_opinion_share")} of their labeled videos).</li>
<li><strong>Outliers.</strong> With the rule {f("outlier_rule")}, between
{f("outliers_video_view_count")} ({f("outliers_fewest_column")}) and
{f("outliers_video_comment_count")} ({f("outliers_most_column")}) videos per count are outliers;
{f("videos_any_outlier")} ({f("any_outlier_share")}) are outliers in at least one count. They are
viral videos, not errors, and are kept.</li>
</ul>"""
    sections = [Section("What the data says", data, anchor="findings")]
    sections.append(
        Section(
            "Overview dashboard",
            "<p class='prose'>Choose a claim status or an author ban status to see how the "
            "other figures change.</p>",
            [dashboard],
            anchor="dashboard",
        )
    )
    if model is not None:
        sections += model.summary_sections(facts)
    else:
        sections.append(
            Section(
                "The classifier and the statistics",
                "<p class='note'>The <code>ml</code> tables are not in this warehouse yet: run "
                "<code>python -m ml train</code>, <code>score</code> and <code>stats</code>, then "
                "this report again.</p>",
            )
        )
    sections.append(Section("Limits and ethical use", _ethics(facts, model), anchor="ethics"))
    sections.append(
        Section(
            "More",
            "<ul class='prose'>"
            "<li><a href='distributions.html'>Distributions and outliers</a>: box plots and "
            "histograms of duration and every count.</li>"
            "<li><a href='engagement.html'>Engagement</a>: claim status by account, median "
            "views, share of views, per-view rates, views against likes.</li>"
            + (
                "<li><a href='model.html'>Model and statistics</a>: confusion matrix, "
                "precision-recall, feature importances, calibration, the review queue, the "
                "hypothesis test and the regression.</li>"
                if model is not None
                else ""
            )
            + "<li>The warehouse's documentation: the dbt docs site "
            "(<code>target/static_index.html</code> after <code>dbt docs generate "
            "--static</code>).</li></ul>",
        )
    )
    return Page(
        slug="index",
        nav_title="Summary",
        title="Reported TikTok videos: claims, opinions and the review queue",
        lead=(
            "<p class='lead'>An executive summary for leaders and moderators. Every figure on "
            "these pages is computed from the warehouse when the report is built.</p>"
            f"<div class='tiles'>{''.join(tiles)}</div>"
        ),
        sections=sections,
    )


def _ethics(facts: Facts, model: ModelSection | None) -> str:
    """Limits and intended use, in words."""
    model_items = model.limit_items(facts) if model is not None else ""
    return f"""
<ul class="prose">
<li><strong>A triage aid, not a verdict.</strong> The model orders the queue; moderators decide.
A video the model scores low is still a report a person should see eventually, and videos with
missing features get their own place in the queue rather than a guess.</li>
<li><strong>Claim is not falsehood.</strong> "Claim" means unsourced or unverified information;
the label says nothing about whether a video is true, harmful or allowed.</li>
<li><strong>Engagement is a shortcut.</strong> In this data, views alone separate the classes
(no opinion has more than 10,000 views). Such a clean split is rare in real traffic; a model
leaning on it would fail on new, little-watched claims. Watch the at-upload model, which sees no
counts.</li>
<li><strong>Author status is sensitive.</strong> Ban and verification status describe the
account, not the video. Using them can penalise authors for past decisions; check error rates
per ban and verification group before any use that affects people.</li>
{model_items}
<li><strong>The data is a teaching dataset.</strong> Its figures describe this export only;
re-check every number on real, current reports before acting on them.</li>
</ul>"""
