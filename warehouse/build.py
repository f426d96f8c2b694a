"""Build the warehouse atomically: load the new exports into a copy, publish it only on success.

Analysts and `ml` read the DuckDB file at `$TIKTOK_DUCKDB_PATH` (default `tiktok.duckdb`). A
daily load that fails (a refused file, a failing test) or is interrupted (even `kill -9`) must
leave the published database and its load ledger exactly as they were, and a reader must never
see half a day. So this module:

1. copies the published file into a private folder beside it (`.<name>.building/<name>`, the
   same file name, because DuckDB names its catalog after the file and dbt writes that name
   into every view). The file is small: each export's rows, transcripts included, live in
   immutable Parquet parts in `<name>.parts/`, written once by the run that loads the export,
   and the file's views list the parts its ledger knows. A new part is invisible to a reader
   of the old file;
2. runs `dbt build` on the copy once per new export, oldest first (`max_exports_per_run: 1`),
   so the history snapshot records every export's version of a video. The tables recomputed
   over the whole population that no other model builds on (`POPULATION_WIDE`: the reporting
   tables, `engagement_by_status`, `outlier_summary`) and their tests are built by the run's
   last build only, as they would be from scratch anyway: a catch-up of several exports, or a
   full refresh over a folder, does not recompute them once per export;
3. replaces the published file with the copy by one atomic rename, only if every build passed;
4. deletes the parts that no published ledger lists (left by failed runs, or replaced by a
   full refresh) at the start of the next build.

`--full-refresh` starts from an empty file (keeping the `ml` schema: training runs and
predictions) and loads every export again, one at a time. It writes through `warehouse.publish`'s
`publishing`, as every writer does: one writer at a time (a build, or an `ml` command that
writes); a second one stops at once, naming the process that holds the lock. dbt runs as a child
that the kernel kills if this process dies, so a killed build leaves nothing working on.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb
import yaml

from ml.config import default_db_path
from ml.errors import MlError
from warehouse import dbt
from warehouse.publish import connect, publishing

CARRIED_SCHEMAS = ("ml",)
LEDGER_RELATION = "intermediate.int_export_files_loaded"
PART_DIR_PATTERN = re.compile(r"^export_part=[a-z_]+-(?P<invocation>[0-9a-f-]{36})$")
EXPORT_ENDINGS = (".csv", ".csv.gz", ".parquet")
# Rebuilt from scratch over every video, and nothing else builds on them (their tests aside):
# the builds of a run before its last leave them out.
POPULATION_WIDE = ("path:models/reporting", "engagement_by_status", "outlier_summary")
SELECTION_FLAGS = ("--select", "-s", "--exclude", "--selector", "--models", "-m")


class BuildError(MlError):
    """The build could not run or did not succeed; the published database is unchanged."""


def parts_dir(db_path: Path) -> Path:
    """The folder of Parquet parts that `db_path`'s views read."""
    return db_path.parent / f"{db_path.name}.parts"


def loaded_exports(db_path: Path) -> dict[str, str]:
    """The ledger of `db_path`: file name -> the invocation that loaded it (empty if none)."""
    if not db_path.exists():
        return {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'intermediate' and table_name = 'int_export_files_loaded'"
        ).fetchone()[0]
        if not found:
            return {}
        rows = con.execute(f"select source_file, invocation_id from {LEDGER_RELATION}").fetchall()
    return dict(rows)


def export_names(raw_videos_path: str | None) -> list[str]:
    """File names of the exports a path names (a file, a folder or a glob), sorted.

    Only to decide whether another `dbt build` is needed; which files are loaded, skipped or
    refused is dbt's decision (macro `exports_to_load`).
    """
    if not raw_videos_path:
        return ["tiktok_dataset.csv"]
    path = Path(raw_videos_path)
    if any(character in raw_videos_path for character in "*?["):
        files = path.parent.glob(path.name)
    elif path.is_dir():
        files = path.iterdir()
    else:
        files = [path]
    return sorted(f.name for f in files if f.name.lower().endswith(EXPORT_ENDINGS))


def collect_garbage(db_path: Path) -> list[Path]:
    """Delete the parts no ledger of `db_path` lists (failed runs, replaced by a full refresh)."""
    folder = parts_dir(db_path)
    if not folder.is_dir():
        return []
    listed = set(loaded_exports(db_path).values())
    removed = []
    for part in sorted(folder.iterdir()):
        match = PART_DIR_PATTERN.match(part.name)
        if match and match.group("invocation") not in listed:
            shutil.rmtree(part, ignore_errors=True)
            removed.append(part)
    return removed


def split_vars(dbt_args: Sequence[str]) -> tuple[dict[str, object], list[str]]:
    """The `--vars` of dbt's arguments as a dict, and the other arguments."""
    variables: dict[str, object] = {}
    rest: list[str] = []
    args = list(dbt_args)
    while args:
        arg = args.pop(0)
        if arg == "--vars" and args:
            variables.update(yaml.safe_load(args.pop(0)) or {})
        elif arg.startswith("--vars="):
            variables.update(yaml.safe_load(arg.split("=", 1)[1]) or {})
        else:
            rest.append(arg)
    return variables, rest


def carry_over(published: Path, built: Path, schemas: Sequence[str] = CARRIED_SCHEMAS) -> list[str]:
    """Copy every table of `schemas` from the published database into a fresh one.

    A full refresh starts from an empty file, but the `ml` schema holds history (every training
    run) and outputs that only `ml` commands write: they must survive it. Returns the tables
    copied, as `schema.table`.
    """
    if not published.exists():
        return []
    copied: list[str] = []
    with connect(built) as con:  # a new file, in the format DuckDB 1.5 clients read
        con.execute(f"attach '{_quote(published)}' as published (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'published' and schema_name in "
            f"({', '.join('?' for _ in schemas)}) order by 1, 2",
            list(schemas),
        ).fetchall()
        for schema, table in tables:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create or replace table "{schema}"."{table}" as '
                f'select * from published."{schema}"."{table}"'
            )
            copied.append(f"{schema}.{table}")
        con.execute("detach published")
        con.execute("checkpoint")
    return copied


def population_exclusion(dbt_args: Sequence[str], pending: Sequence[str]) -> list[str]:
    """dbt's `--exclude` of `POPULATION_WIDE` for a build that loads one of several pending
    exports but not the last; none when the caller selects nodes itself."""
    if len(pending) <= 1 or any(arg.split("=")[0] in SELECTION_FLAGS for arg in dbt_args):
        return []
    return ["--exclude", *POPULATION_WIDE]


def build(db_path: Path, dbt_args: Sequence[str] = (), full_refresh: bool = False) -> None:
    """Load the new exports into a copy of `db_path` and publish it only if everything passed."""
    db_path = db_path.resolve()
    variables, other_args = split_vars(dbt_args)
    variables["max_exports_per_run"] = 1
    if "--full-refresh" in other_args:
        other_args.remove("--full-refresh")
        full_refresh = True
    with publishing(db_path, "python -m warehouse", fresh=full_refresh) as built:
        removed = collect_garbage(db_path)
        if removed:
            print(f"deleted {len(removed)} part(s) no ledger lists", flush=True)
        if full_refresh:
            copied = carry_over(db_path, built)
            if copied:
                print(f"kept from the published database: {', '.join(copied)}", flush=True)
        env = {"TIKTOK_DUCKDB_PATH": str(built), "TIKTOK_PARTS_DIR": str(parts_dir(db_path))}
        print(f"building into {built} (published at {db_path} on success)", flush=True)
        names = export_names(variables.get("raw_videos_path"))  # type: ignore[arg-type]
        pending = [name for name in names if name not in loaded_exports(built)]
        while True:
            exclusion = population_exclusion(other_args, pending)
            if pending:
                later = " (the population-wide tables after the last)" if exclusion else ""
                print(f"loading export {pending[0]} ({len(pending)} new){later}", flush=True)
            code = dbt.run(
                ["build", *other_args, *exclusion],
                variables=variables,
                env=env,
                capture=False,
                die_with_parent=True,
            ).returncode
            if code != 0:
                raise BuildError(
                    f"dbt build failed (exit code {code}; its messages are above). "
                    f"{db_path} was left as it was."
                )
            loaded = loaded_exports(built)
            still = [name for name in pending if name not in loaded]
            if not still or still == pending:  # all loaded, or nothing more can be
                if exclusion:  # this build left the population-wide tables out: one more
                    pending = []
                    continue
                break
            pending = still
        with connect(built) as con:
            con.execute("checkpoint")
    print(f"published {db_path}", flush=True)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m warehouse [--db-path PATH] [--full-refresh] [-- DBT ARGS]`."""
    parser = argparse.ArgumentParser(
        prog="python -m warehouse",
        description=(
            "Load the new exports into a copy of the DuckDB warehouse, one `dbt build` per "
            "export, and publish it atomically on success: a failed or interrupted build leaves "
            "the previous database and its load ledger intact."
        ),
    )
    parser.add_argument(
        "--db-path",
        type=Path,
        default=default_db_path(),
        help="the published DuckDB file (default: $TIKTOK_DUCKDB_PATH or tiktok.duckdb)",
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild from every export, one at a time, into an empty file (keeps ml.*)",
    )
    parser.add_argument(
        "dbt_args",
        nargs=argparse.REMAINDER,
        help="arguments passed to dbt build after `--`, e.g. -- --vars '{raw_videos_path: dir}'",
    )
    args = parser.parse_args(argv)
    dbt_args = args.dbt_args[1:] if args.dbt_args[:1] == ["--"] else args.dbt_args
    try:
        build(args.db_path, dbt_args, full_refresh=args.full_refresh)
    except MlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
