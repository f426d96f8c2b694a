"""`python -m ml.metrics MF_ARGS`: MetricFlow (`mf`) on a private copy of the published warehouse.

`mf query` opens the DuckDB file read-write through dbt's adapter, so run on the published file
it would take the file's write lock: an analyst's read-only session would make it fail, and it
would stand in the way of anything else that opens the file. This runs it on a copy instead, in
`.<name>.metrics/<name>` beside the published file (the same file name, because the SQL
MetricFlow generates names the catalog after the file; the Parquet parts are named by absolute
path, so the copy reads them in place). Two runs at the same time take turns on the copy.

    python -m ml.metrics query --metrics claims,claim_rate --group-by video__author_ban_status

runs `dbt parse` (MetricFlow reads target/semantic_manifest.json, always in the repository's
target/) and then `mf query ...` with the copy as `$TIKTOK_DUCKDB_PATH`. Its exit status is
mf's; a missing or locked warehouse prints one `error:` line and exits with status 2.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ml.config import DB_PATH_ENV_VAR, REPO_ROOT, default_db_path
from ml.errors import MlError, WarehouseError
from warehouse import dbt
from warehouse.publish import copy_published


def metrics_dir(db_path: Path) -> Path:
    """The private folder holding the copy `mf` queries."""
    return db_path.parent / f".{db_path.name}.metrics"


def run_mf(db_path: Path, mf_args: Sequence[str], quiet_parse: bool = True) -> int:
    """Copy `db_path`, parse the project against the copy, run `mf MF_ARGS` on it."""
    db_path = db_path.resolve()
    if not db_path.is_file():
        raise WarehouseError(
            f"no DuckDB file at {db_path}: run `make build` first, or point --db-path "
            f"(or ${DB_PATH_ENV_VAR}) at the warehouse"
        )
    work = metrics_dir(db_path)
    work.mkdir(exist_ok=True)
    with (work / "lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # wait for another run to finish with the copy
        copy = work / db_path.name
        for leftover in work.glob(f"{db_path.name}*"):
            leftover.unlink()
        try:
            copy_published(db_path, copy)
            bin_dir = Path(sys.executable).parent
            # Parsed for the published path: the copy has its name, so the SQL is the same, and
            # dbt's partial parse stays valid between `dbt build`, `make metrics` and the rest.
            parse = [*(["--quiet"] if quiet_parse else []), "parse"]
            parsed = dbt.run(parse, db_path=db_path, capture=False)
            if parsed.returncode != 0:
                raise MlError(f"dbt parse failed (exit code {parsed.returncode}; see above)")
            mf = shutil.which("mf", path=str(bin_dir)) or "mf"
            env = {**os.environ, DB_PATH_ENV_VAR: str(copy)}
            return subprocess.run([mf, *mf_args], cwd=REPO_ROOT, env=env, check=False).returncode
        finally:
            for leftover in work.glob(f"{db_path.name}*"):
                leftover.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ml.metrics [--db-path PATH] MF_ARGS...`."""
    parser = argparse.ArgumentParser(
        prog="python -m ml.metrics",
        description=(
            "Run MetricFlow's `mf` (e.g. `query --metrics claims --group-by "
            "video__author_ban_status`) on a private copy of the published warehouse, so it "
            "never takes the published file's write lock."
        ),
    )
    parser.add_argument(
        "--db-path",
        type=Path,
        default=default_db_path(),
        help="the published DuckDB file (default: $TIKTOK_DUCKDB_PATH or tiktok.duckdb)",
    )
    parser.add_argument("mf_args", nargs=argparse.REMAINDER, help="arguments for `mf`")
    args = parser.parse_args(argv)
    mf_args = args.mf_args[1:] if args.mf_args[:1] == ["--"] else args.mf_args
    if not mf_args:
        parser.error("give the mf command, e.g. query --metrics claims")
    try:
        return run_mf(args.db_path, mf_args)
    except MlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
