{#-
    The population the aggregates read (int_video_population: the stored
    int_video_states, ratios and flags) holds marts.videos' rows of the
    videos a run updates, column for column (the transcript aside), and none
    is missing: the stored narrow twin cannot drift from the view chain it is
    cut from. Reads the new exports' rows only (every row a run writes); the
    reporting counts reconcile the whole population with marts.videos.
    Returns the rows found on one side only.
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

population as (
    select {{ columns | join(', ') }}
    from {{ ref('int_video_population') }}
    where {{ export_batch_filter() }}
),

videos as (
    select {{ columns | join(', ') }}
    from {{ ref('videos') }}
    where {{ export_batch_filter() }}
),

only_in_population as (
    select * from population
    except
    select * from videos
),

only_in_videos as (
    select * from videos
    except
    select * from population
)

select
    'int_video_population' as found_only_in,
    *
from only_in_population
union all
select
    'marts.videos' as found_only_in,
    *
from only_in_videos
