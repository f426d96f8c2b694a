"""Rendering: specs with the report's look, HTML pages from the templates, the offline Vega
bundle, and the PNG workers.

- `assets/vega-*.js`: the Vega, Vega-Lite and vega-embed JavaScript, written once and shared by
  the pages as a classic script, so every page works from `file://` with no network.
  `--inline-js` puts it inside each page instead. It depends on library versions only and is
  cached between builds (see `cache_dir`).
- Charts are drawn as PNGs by child processes (vl-convert holds the GIL) while the pages are
  written; `charts/.png-hashes.json` lets a rebuild on unchanged data skip them.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import altair as alt
import vl_convert

from report.figures import Figure, Page, html_table
from report.theme import CHART_CONFIG

TEMPLATES = Path(__file__).resolve().parent / "templates"
PNG_SCALE = 1.0
PNG_WORKERS = 2


def finished_spec(chart: alt.TopLevelMixin, description: str) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the report's look and its text alternative.

    The look is merged into the spec's dict rather than through altair's `configure_*`, each
    of which deep-copies the whole chart; the spec is not validated against the Vega-Lite
    schema here (slow), the tests do that for every spec of the report.
    """
    spec = chart.to_dict(validate=False)
    config = spec.setdefault("config", {})
    for key, value in CHART_CONFIG.items():
        if isinstance(value, dict):
            config[key] = {**config.get(key, {}), **value}
        else:
            config[key] = value
    spec["description"] = description
    return spec


def figure_html(figure: Figure, spec: dict[str, Any]) -> str:
    """A figure: the chart container, its caption, a PNG link, the data table and the spec."""
    spec_json = json.dumps(spec, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    table = ""
    if figure.table is not None and len(figure.table):
        table = (
            "<details><summary>Data behind this chart</summary>"
            f"{html_table(figure.table, figure.table_formats)}</details>"
        )
    css = "chart wide" if figure.wide else "chart"
    return (
        f'<figure class="{css}" id="figure-{figure.key}">'
        f'<div class="vega" data-chart="{figure.key}"></div>'
        f"<figcaption>{figure.caption} "
        f'<a href="charts/{figure.key}.png">PNG</a></figcaption>{table}'
        f'<script type="application/json" id="spec-{figure.key}">{spec_json}</script>'
        "</figure>"
    )


def _read_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def bundle_name() -> str:
    """File name of the Vega bundle: the versions of Vega, Vega-Lite and vega-embed in it."""
    return (
        f"vega-{vl_convert.get_vega_version()}-lite-{_vega_lite_version()}"
        f"-embed-{vl_convert.get_vega_embed_version()}.js"
    )


def _vega_lite_version() -> str:
    """altair's Vega-Lite version as vl-convert names it ('6.4')."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def bundle_path(out_dir: Path) -> Path:
    """Where the shared bundle of this Vega version lives in the output folder."""
    return out_dir / "assets" / bundle_name()


def cache_dir() -> Path:
    """Where the Vega bundle is kept between builds (it depends on library versions only).

    `$TIKTOK_CLAIMS_CACHE`, else `$XDG_CACHE_HOME/tiktok-claims`, else
    `~/.cache/tiktok-claims`.
    """
    configured = os.environ.get("TIKTOK_CLAIMS_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tiktok-claims"


@dataclass
class Bundle:
    """The Vega + Vega-Lite + vega-embed JavaScript altair's specs need (~0.9 MB).

    vl-convert builds it (about 1.5 s of CPU) as a classic script, since browsers refuse
    module scripts from `file://`, that sets `window.vegaEmbed`. It depends only on the library
    versions, so it is cached (`cache_dir()`) and built, in a child process while the queries
    run, only when the cache lacks it.
    """

    path: Path
    process: subprocess.Popen[bytes] | None = None
    temporary: Path | None = None

    @classmethod
    def start(cls, scratch: Path) -> Bundle:
        """Use the cached bundle, or start building it (into the cache, else `scratch`)."""
        cached = cache_dir() / bundle_name()
        if cached.is_file() and cached.stat().st_size > 0:
            return cls(cached)
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            target = cached
        except OSError:
            scratch.mkdir(parents=True, exist_ok=True)
            target = scratch / bundle_name()
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        process = start_child(BUNDLE_WORKER, str(temporary), _vega_lite_version())
        return cls(target, process, temporary)

    def wait(self) -> Path:
        """The finished bundle's path."""
        if self.process is not None and self.temporary is not None:
            finish_child(self.process, "writing the Vega bundle")
            self.temporary.replace(self.path)
            self.process = None
        return self.path


def publish_bundle(out_dir: Path, bundle: Path) -> str:
    """Copy the bundle into `assets/` (other versions' bundles removed) unless it is there.

    Returns its path relative to the output folder.
    """
    path = bundle_path(out_dir)
    if not path.is_file() or path.stat().st_size != bundle.stat().st_size:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob("vega-*.js"):
            stale.unlink()
        shutil.copyfile(bundle, path)
    return f"assets/{path.name}"


def render_page(
    page: Page,
    pages: Sequence[Page],
    specs: dict[str, dict[str, Any]],
    footer: str,
    vega_script: str,
) -> str:
    """The page's HTML from the template."""
    nav = "\n".join(
        f'    <li><a href="{other.file_name}"'
        + (' aria-current="page"' if other.slug == page.slug else "")
        + f">{html.escape(other.nav_title)}</a></li>"
        for other in pages
    )
    body = []
    for section in page.sections:
        anchor = f' id="{section.anchor}"' if section.anchor else ""
        body.append(f"<section{anchor}><h2>{html.escape(section.heading)}</h2>{section.prose}")
        if section.figures:
            body.append('<div class="grid">')
            body += [figure_html(figure, specs[figure.key]) for figure in section.figures]
            body.append("</div>")
        body.append("</section>")
    return Template(_read_template("page.html")).substitute(
        title=html.escape(page.title),
        style=_read_template("style.css"),
        vega_script=vega_script,
        nav=f"    <ul>\n{nav}\n    </ul>",
        lead=page.lead,
        body="\n".join(body),
        footer=footer,
        loader=_read_template("loader.js"),
    )


# vl-convert holds the GIL while it draws, so threads would not overlap it with the rest of the
# build: it runs in child Python processes that import nothing but vl-convert. The PNG workers
# start with the build and warm up their JavaScript engine (~1 s) during the queries, then
# read the path of their job file from stdin (an empty line: nothing to draw).
BUNDLE_WORKER = """
import pathlib, sys, vl_convert
pathlib.Path(sys.argv[1]).write_text(
    vl_convert.javascript_bundle(vl_version=sys.argv[2]), encoding="utf-8"
)
"""


PNG_WORKER = """
import json, pathlib, sys, vl_convert
vl_convert.vegalite_to_svg({"mark": "point"})
job_file = sys.stdin.readline().strip()
for job in json.loads(pathlib.Path(job_file).read_text(encoding="utf-8")) if job_file else []:
    png = vl_convert.vegalite_to_png(job["spec"], scale=job["scale"])
    pathlib.Path(job["path"]).write_bytes(png)
"""


def start_child(code: str, *arguments: str) -> subprocess.Popen[bytes]:
    """A child Python running `code` with `arguments`; stdin open, errors kept."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def finish_child(process: subprocess.Popen[bytes], what: str) -> None:
    """Wait for a child; raise with its error output if it failed."""
    if process.stdin is not None and not process.stdin.closed:
        process.stdin.close()
    error = process.stderr.read() if process.stderr is not None else b""
    if process.wait() != 0:
        raise RuntimeError(f"{what} failed: {error.decode(errors='replace')[-2000:]}")


def png_hash(spec: dict[str, Any], scale: float) -> str:
    """What a chart's PNG depends on: its spec, the scale and vl-convert's Vega version.

    Floats count to 9 significant digits: DuckDB sums floats in parallel, so their last bits
    can change from run to run without changing a pixel.
    """
    text = json.dumps(_rounded(spec), sort_keys=True)
    text += f"|{scale}|{vl_convert.get_vega_version()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _rounded(value: Any) -> Any:
    """`value` with every float rounded to 9 significant digits, recursively."""
    if isinstance(value, float):
        return float(f"{value:.9g}") if math.isfinite(value) else value
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def charts_to_draw(
    specs: dict[str, dict[str, Any]], charts_dir: Path, scale: float
) -> list[tuple[str, dict[str, Any]]]:
    """The charts whose PNG is missing or was drawn from another spec; remembers the new ones.

    `charts/.png-hashes.json` records what each PNG was drawn from, so a rebuild on unchanged
    data draws nothing.
    """
    charts_dir.mkdir(parents=True, exist_ok=True)
    manifest = charts_dir / ".png-hashes.json"
    try:
        drawn = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        drawn = {}
    hashes = {key: png_hash(spec, scale) for key, spec in specs.items()}
    manifest.write_text(json.dumps(hashes, indent=1), encoding="utf-8")
    return [
        (key, spec)
        for key, spec in specs.items()
        if drawn.get(key) != hashes[key] or not (charts_dir / f"{key}.png").is_file()
    ]


def send_png_jobs(
    workers: list[subprocess.Popen[bytes]],
    charts: list[tuple[str, dict[str, Any]]],
    charts_dir: Path,
    scale: float,
) -> list[Path]:
    """Deal the charts out to the workers, largest spec first; return the job files."""
    batches: list[list[dict[str, Any]]] = [[] for _ in workers]
    ordered = sorted(charts, key=lambda item: -len(json.dumps(item[1])))
    for index, (key, spec) in enumerate(ordered):
        batches[index % len(batches)].append(
            {"spec": spec, "scale": scale, "path": str(charts_dir / f"{key}.png")}
        )
    job_files = []
    for number, (worker, batch) in enumerate(zip(workers, batches, strict=True)):
        line = b"\n"
        if batch:
            job_file = charts_dir / f".png-jobs-{number}.json"
            job_file.write_text(json.dumps(batch), encoding="utf-8")
            job_files.append(job_file)
            line = f"{job_file}\n".encode()
        if worker.stdin is not None:
            worker.stdin.write(line)
            worker.stdin.close()
    return job_files


def plain_text(caption: str) -> str:
    """A caption without its HTML tags (for the chart's aria description)."""
    out, inside = [], False
    for char in caption:
        if char == "<":
            inside = True
        elif char == ">":
            inside = False
        elif not inside:
            out.append(char)
    return html.unescape("".join(out))
