{#- Post-hook of rejected_videos: fails the build when more rows of a new export file were rejected than the max_rejected_share var allows. -#}
{% macro check_rejected_share() -%}
    {%- if execute -%}
        {%- set limit = var('max_rejected_share') -%}
        {%- if limit is not number or limit is boolean or limit < 0 or limit > 1 -%}
            {{ exceptions.raise_compiler_error(
                "max_rejected_share must be a number from 0 to 1, got "
                ~ (limit | tojson)
            ) }}
        {%- endif -%}
        {%- set checked = ref('stg_tiktok__videos') -%}
        {%- set unparsed = source('tiktok_loader', 'tiktok_export_parse_errors') -%}
        {%- for file in export_batch() -%}
            {%- set name = sql_string_literal(file.name) -%}
            {%- set counts = run_query(
                'select (select count(*) from ' ~ this ~ ' where source_file = ' ~ name ~ '), '
                ~ '(select count(*) from ' ~ checked ~ ' where source_file = ' ~ name ~ '), '
                ~ '(select count(*) from ' ~ unparsed ~ ' where source_file = ' ~ name ~ ')'
            ).rows[0] -%}
            {%- set rejected, total = counts[0], counts[1] + counts[2] -%}
            {%- if total > 0 and rejected / total > limit -%}
                {%- set reasons = run_query(
                    'select rejection_reason, count(*) from ' ~ this
                    ~ ' where source_file = ' ~ name
                    ~ ' group by 1 order by 2 desc, 1 limit 3'
                ).rows -%}
                {%- set listed = [] -%}
                {%- for reason in reasons -%}
                    {%- do listed.append(reason[1] ~ ' x ' ~ reason[0]) -%}
                {%- endfor -%}
                {{ exceptions.raise_compiler_error(
                    rejected ~ ' of ' ~ total ~ ' input rows ('
                    ~ '%.1f' | format(100 * rejected / total) ~ '%) of export '
                    ~ file.path ~ ' were rejected, more than max_rejected_share = '
                    ~ '%g' | format(100 * limit) ~ '%. Most common reasons: '
                    ~ listed | join('; ') ~ '. Fix the export, or raise the var: '
                    ~ "--vars '{max_rejected_share: 0.5}'."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
