"""`python -m report`: write the stakeholder report (options: `--help`).

Exit status 2 with one line on a problem the user can fix (no warehouse, a missing mart).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ml.config import DEFAULT_ARTIFACTS_DIR, default_db_path
from ml.errors import MlError
from report.build import DEFAULT_OUT_DIR, build_report
from report.render import PNG_SCALE

DESCRIPTION = (
    "Write the stakeholder report into --out-dir: index.html (the executive summary with live "
    "figures and the interactive overview dashboard), distributions.html, engagement.html and "
    "model.html, every chart also as a PNG under charts/. Reads only reporting.* and ml.* "
    " through a read-only connection; the pages work offline from file://."
)


def parser() -> argparse.ArgumentParser:
    """The command's options."""
    parser = argparse.ArgumentParser(prog="python -m report", description=DESCRIPTION)
    parser.add_argument(
        "--db-path",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: $TIKTOK_DUCKDB_PATH, else tiktok.duckdb)",
    )
    parser.add_argument(
        "--artifacts-dir",
        type=Path,
        default=DEFAULT_ARTIFACTS_DIR,
        help="where `ml train` wrote metrics.json (default: artifacts/)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="where to write the report (default: reports/)",
    )
    parser.add_argument("--no-png", action="store_true", help="skip the PNG copies of the charts")
    parser.add_argument(
        "--png-scale",
        type=float,
        default=PNG_SCALE,
        help=f"pixel density of the PNGs (default {PNG_SCALE:g}; 2 doubles width and height)",
    )
    parser.add_argument(
        "--inline-js",
        action="store_true",
        help="put the Vega JavaScript in every page (self-contained files, ~0.9 MB each)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Build the report from parsed arguments; print where it is and how long it took."""
    start = time.perf_counter()
    timings: dict[str, float] = {}
    index = build_report(
        args.db_path or default_db_path(),
        args.artifacts_dir,
        args.out_dir,
        png=not args.no_png,
        inline_js=args.inline_js,
        png_scale=args.png_scale,
        timings=timings,
    )
    size = sum(path.stat().st_size for path in index.parent.rglob("*") if path.is_file())
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(
        f"report written to {index} ({size / 1e6:.1f} MB in {index.parent}; "
        f"{time.perf_counter() - start:.1f} s: {steps})"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m report [options]`; exit status 2 with one line on a fixable problem."""
    args = parser().parse_args(argv)
    try:
        return run(args)
    except MlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
