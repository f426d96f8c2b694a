"""The command line, ``python -m synthetic``: one export file (``--rows``, ``--format``), or with
``--days`` a folder of daily exports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from synthetic.daily_exports import DEFAULT_DAY_ROWS, DEFAULT_START_DATE, write_days
from synthetic.schema import CHUNK_ROWS, DEFAULT_ROWS, DEFAULT_SEED, FORMATS
from synthetic.single_export import write

REPO_ROOT = Path(__file__).resolve().parents[1]


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point: ``python -m synthetic``."""
    parser = argparse.ArgumentParser(
        prog="python -m synthetic",
        description=(
            "Write the deterministic synthetic TikTok export (one file), or with --days a folder "
            "of daily exports with re-reports, late labels and bans."
        ),
    )
    parser.add_argument(
        "--rows",
        type=int,
        help=f"rows to write (default {DEFAULT_ROWS:,}); with --days, rows per daily file "
        f"(default {DEFAULT_DAY_ROWS:,})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parser.add_argument(
        "--format",
        choices=(*FORMATS, "mixed"),
        default="csv",
        dest="fmt",
        help="file format (default csv); 'mixed' (with --days) cycles csv, csv.gz, parquet",
    )
    parser.add_argument(
        "--days",
        type=int,
        help="write this many daily exports, DIR/YYYY-MM-DD.<format>, into the --out folder",
    )
    parser.add_argument(
        "--start-date",
        type=_iso_date,
        default=DEFAULT_START_DATE,
        help="with --days, the first export's date (default %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="output file (default: seeds/tiktok_dataset.<format> under the repository root); "
        "with --days, the output folder (default: exports/ under the repository root)",
    )
    args = parser.parse_args(argv)
    if args.days is None:
        if args.fmt == "mixed":
            parser.error("--format mixed needs --days")
        rows = DEFAULT_ROWS if args.rows is None else args.rows
        out = args.out or REPO_ROOT / "seeds" / f"tiktok_dataset.{args.fmt}"
        try:
            write(out, rows, args.seed, args.fmt, progress=rows > CHUNK_ROWS)
        except ValueError as error:
            parser.error(str(error))
        print(f"synthetic: wrote {rows:,} rows (seed {args.seed}) to {out}", file=sys.stderr)
        return
    rows = DEFAULT_DAY_ROWS if args.rows is None else args.rows
    out = args.out or REPO_ROOT / "exports"
    try:
        paths = write_days(
            out, args.days, rows, args.seed, args.start_date, args.fmt, progress=rows > CHUNK_ROWS
        )
    except ValueError as error:
        parser.error(str(error))
    print(
        f"synthetic: wrote {len(paths)} daily exports of {rows:,} rows (seed {args.seed}) to {out}",
        file=sys.stderr,
    )


def _iso_date(text: str) -> date:
    """argparse type: a YYYY-MM-DD date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


if __name__ == "__main__":
    main()
