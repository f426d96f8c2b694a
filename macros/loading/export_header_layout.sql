{#- From an export's header (its column names in file order): each canonical column's name and 1-based position, and the row-number column; fails naming the file when a required column is absent or the header is not comma-separated. -#}
{% macro export_header_layout(path, header) -%}
    {%- set names = {} -%}
    {%- set positions = {} -%}
    {%- for original in header -%}
        {%- set normalized = original | replace('\ufeff', '') | trim | lower -%}
        {%- if normalized not in names -%}
            {%- do names.update({normalized: original}) -%}
            {%- do positions.update({normalized: loop.index}) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set missing = [] -%}
    {%- for column in export_columns() if column not in names -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- for delimiter in [';', '\t', '|'] if header | length == 1 and delimiter in header[0] -%}
            {{ exceptions.raise_compiler_error(
                "raw_videos_path '" ~ path ~ "', line 1: the header is not "
                ~ "comma-separated (found " ~ (delimiter | tojson) ~ " between "
                ~ "column names). Save the file as comma-separated CSV."
            ) }}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "raw_videos_path '" ~ path ~ "', line 1: the header lacks the column(s) "
            ~ missing | join(', ') ~ ". Found: " ~ header | join(', ') ~ "."
        ) }}
    {%- endif -%}

    {{ return({
        'names': names,
        'positions': positions,
        'row_number_column': names.get('#', names.get('id')),
        'row_number_position': positions.get('#', positions.get('id')),
    }) }}
{%- endmacro %}
