{#-
    The population the aggregates read (int_video_population: the stored
    int_video_states, ratios and flags) holds marts.videos' rows of the
    videos a run updates, column for column (the transcript aside): the
    stored narrow twin cannot drift from the view chain it is cut from. Reads
    the new exports' rows (every row a run writes: all of them on a full
    refresh), and compares their count and a fingerprint, the sum of a hash
    of each row: two streaming aggregates, where a set difference of ten
    million rows each way took 57 s in a full refresh. Returns both sides'
    figures when they differ; the rows themselves are then
    `select <columns> from int_video_population except select <columns> from
    marts.videos`. The reporting counts reconcile the whole population with
    marts.videos.
-#}
{%- set columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(
        ref('int_video_population')
    ) -%}
        {%- do columns.append(column.name) -%}
    {%- endfor -%}
{%- endif -%}
with

compared as (
    {% for relation, name in [
        (ref('int_video_population'), 'int_video_population'),
        (ref('videos'), 'marts.videos'),
    ] %}
        select
            '{{ name }}' as relation,
            count(*) as video_count,
            sum(hash({{ columns | join(', ') }})) as fingerprint
        from {{ relation }}
        where {{ export_batch_filter() }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

differences as (
    select
        count(distinct video_count) as video_counts,
        count(distinct fingerprint) as fingerprints
    from compared
)

select compared.*
from compared
cross join differences
where differences.video_counts > 1 or differences.fingerprints > 1
