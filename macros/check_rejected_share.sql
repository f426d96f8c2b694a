{#- Post-hook of rejected_videos: fails the build when more input rows were rejected than the max_rejected_share var allows. -#}
{% macro check_rejected_share() -%}
    {%- if execute -%}
        {%- set checked = ref('stg_tiktok__videos') -%}
        {%- set counts = run_query(
            'select (select count(*) from ' ~ this ~ '), '
            ~ '(select count(*) from ' ~ checked ~ ' where not is_rejected)'
        ).rows[0] -%}
        {%- set rejected, kept = counts[0], counts[1] -%}
        {%- set total = rejected + kept -%}
        {%- set limit = var('max_rejected_share') -%}
        {%- if limit is not number or limit is boolean or limit < 0 or limit > 1 -%}
            {{ exceptions.raise_compiler_error(
                "max_rejected_share must be a number from 0 to 1, got "
                ~ (limit | tojson)
            ) }}
        {%- endif -%}
        {%- if total > 0 and rejected / total > limit -%}
            {%- set reasons = run_query(
                'select rejection_reason, count(*) from ' ~ this
                ~ ' group by 1 order by 2 desc, 1 limit 3'
            ).rows -%}
            {%- set listed = [] -%}
            {%- for reason in reasons -%}
                {%- do listed.append(reason[1] ~ ' x ' ~ reason[0]) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                rejected ~ ' of ' ~ total ~ ' input rows ('
                ~ '%.1f' | format(100 * rejected / total) ~ '%) of '
                ~ (var('raw_videos_path') or 'the seed')
                ~ ' were rejected, more than max_rejected_share = '
                ~ '%g' | format(100 * limit) ~ '%. Most common reasons: '
                ~ listed | join('; ') ~ '. Fix the export, or raise the var: '
                ~ "--vars '{max_rejected_share: 0.5}'."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
