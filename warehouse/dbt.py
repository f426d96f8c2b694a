"""The one way to run dbt: the build, the `ml` file scorer, the tests and the benchmarks call it.

Every run uses the pinned dbt beside this Python, in the repository (its `profiles.yml` and
`dbt_project.yml`), on the DuckDB file given as `db_path` (`$TIKTOK_DUCKDB_PATH`, which
profiles.yml reads), with the project's vars as one JSON `--vars`:

    from warehouse import dbt
    dbt.run(["build"], db_path=path, variables={"raw_videos_path": "/data/exports"}, check=True)

`work_dir` puts dbt's `target/` and `logs/` in a private folder (tests and benchmarks run beside
the user's own `target/`). The output is captured and returned unless `capture=False` (the build
shows dbt's progress as it goes). With `check=True` a failure raises `DbtError` whose message is
one line: the command, its exit code and dbt's first error line. Spark runs, which need dbt in
this process to reach the Spark session it opened, go through `invoke` instead.

A dbt process spends ~10 s starting and parsing the project before it runs anything. Callers
that run dbt many times (the tests) keep one `ParsedProject` and pass it to `run(...,
parsed=...)`: dbt then runs in this process on a copy of a manifest parsed once, with the same
arguments, environment, exit code and captured output as the child process. The build
(`python -m warehouse`) always runs dbt as a child process.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ml.config import DB_PATH_ENV_VAR, REPO_ROOT
from ml.errors import MlError

PR_SET_PDEATHSIG = 1
# Vars read while dbt parses: `moderator_decisions_path` chooses a `ref` of
# stg_moderation__decisions, `count_columns` the snapshot's `check_cols`. A manifest parsed with
# their defaults is wrong for another value, so `run(parsed=...)` parses again for a caller
# that sets one. (Other vars are read when dbt compiles, at each run.)
PARSE_TIME_VARS = frozenset({"moderator_decisions_path", "count_columns"})


class DbtError(MlError):
    """dbt ran and failed (a model, a test or the project itself): the message names why."""

    def __init__(self, message: str, detail: str, output: str) -> None:
        super().__init__(message)
        self.detail = detail  # dbt's first error message
        self.output = output  # everything dbt printed


def executable() -> Path:
    """The pinned dbt, installed beside this Python (requirements.txt)."""
    return Path(sys.executable).with_name("dbt")


def arguments(
    args: Sequence[str],
    variables: Mapping[str, object] | None = None,
    work_dir: Path | None = None,
) -> list[str]:
    """dbt's arguments: `args`, then the private target and log folders, then `--vars`."""
    full = list(args)
    if work_dir is not None:
        full += ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]
    if variables:
        full += ["--vars", json.dumps(dict(variables), default=str)]
    return full


def in_process_arguments(
    args: Sequence[str],
    variables: Mapping[str, object] | None = None,
    work_dir: Path | None = None,
) -> list[str]:
    """`arguments(...)` for dbt run in this process (`dbtRunner`), wherever this process runs:
    with the repository as dbt's project and profiles directory."""
    project = str(REPO_ROOT)
    return [
        *arguments(args, variables, work_dir),
        "--project-dir",
        project,
        "--profiles-dir",
        project,
    ]


def command(
    args: Sequence[str],
    variables: Mapping[str, object] | None = None,
    work_dir: Path | None = None,
) -> list[str]:
    """The full command line `run` runs (for callers that wrap it, e.g. in /usr/bin/time); run
    it from `REPO_ROOT` with `environment(...)`."""
    return [str(executable()), *arguments(args, variables, work_dir)]


def environment(
    db_path: Path | None = None, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """This process's environment, with the repository's profiles and the DuckDB file to build."""
    full = {**os.environ, "DBT_PROFILES_DIR": str(REPO_ROOT), **(env or {})}
    if db_path is not None:
        full[DB_PATH_ENV_VAR] = str(db_path)
    return full


def error_summary(output: str) -> str:
    """dbt's first error message in its output: the line after its first `Error in`/`Error:`."""
    lines = [line.strip() for line in output.splitlines()]
    for index, line in enumerate(lines):
        if "Error in" in line or "Error:" in line:
            following = next((later for later in lines[index + 1 :] if later), "")
            return following or line
    return "dbt failed (see its log)"


def _die_with_parent() -> None:
    """In the dbt child: have the kernel kill it when its parent dies (even by kill -9)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run(
    args: Sequence[str],
    *,
    db_path: Path | None = None,
    variables: Mapping[str, object] | None = None,
    work_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    capture: bool = True,
    check: bool = False,
    die_with_parent: bool = False,
    parsed: ParsedProject | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt ARGS` in the repository; the finished process (its output if captured).

    `check=True` raises `DbtError` on a non-zero exit. `die_with_parent=True` has the kernel
    kill dbt if this process dies, so a killed build leaves nothing working on its files.
    `parsed` runs dbt in this process on the manifest it parsed once for `db_path`'s database
    name, unless `variables` set one of `PARSE_TIME_VARS`; the result is the same
    `CompletedProcess` (stdout holds dbt's output, stderr is empty).
    """
    if parsed is not None and db_path is not None and not PARSE_TIME_VARS & set(variables or {}):
        manifest = parsed.copy(db_path)
        result = _invoke_captured(args, manifest, db_path, variables, work_dir, env)
        if not capture:
            print(result.stdout, end="", flush=True)
    else:
        result = subprocess.run(
            command(args, variables, work_dir),
            cwd=REPO_ROOT,
            env=environment(db_path, env),
            capture_output=capture,
            text=True,
            check=False,
            preexec_fn=_die_with_parent if die_with_parent else None,
        )
    if check and result.returncode != 0:
        output = (result.stdout or "") + (result.stderr or "")
        detail = error_summary(output)
        raise DbtError(
            f"dbt {' '.join(args[:1])} failed (exit code {result.returncode}): {detail}",
            detail,
            output,
        )
    return result


def database_name(db_path: Path) -> str:
    """The catalog name dbt-duckdb gives `db_path` (its file name up to the first dot), which
    dbt writes into every node of the manifest as it parses."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    return DuckDBCredentials.path_derived_database_name(str(db_path))


class ParsedProject:
    """The project parsed in this process, once per database name, with the project's default
    vars, for `run(..., parsed=...)`; dbt writes its parse files under `work_dir`."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self._manifests: dict[str, Any] = {}

    def manifest(self, db_path: Path) -> Any:
        """dbt's `Manifest` for a DuckDB file named as `db_path` (parsed on first use)."""
        name = database_name(db_path)
        if name not in self._manifests:
            folder = self.work_dir / name
            result = _invoke_captured(["parse"], None, folder / Path(db_path).name, None, folder)
            if result.returncode != 0:
                detail = error_summary(result.stdout)
                raise DbtError(f"dbt parse failed: {detail}", detail, result.stdout)
            self._manifests[name] = result.manifest
        return self._manifests[name]

    def copy(self, db_path: Path) -> Any:
        """A copy of `manifest(db_path)` for one run: a run writes compiled SQL into the nodes,
        and the next run must start from the parsed state. (dbt 1.11's `Manifest` fails both
        `copy.deepcopy` and its own `deepcopy()`: its data fields are copied one by one, its
        lookups and caches are rebuilt on use.)"""
        parsed = self.manifest(db_path)
        return type(parsed)(
            **{
                field.name: copy.deepcopy(getattr(parsed, field.name))
                for field in dataclasses.fields(parsed)
                if field.init and not field.name.startswith("_")
            }
        )


@contextlib.contextmanager
def _environ(values: Mapping[str, str]) -> Iterator[None]:
    """Set `values` in this process's environment (dbt reads it per run), then restore it."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _InProcessResult(subprocess.CompletedProcess[str]):
    manifest: Any = None


def _invoke_captured(
    args: Sequence[str],
    manifest: Any,
    db_path: Path | None,
    variables: Mapping[str, object] | None,
    work_dir: Path | None,
    env: Mapping[str, str] | None = None,
) -> _InProcessResult:
    """`dbtRunner(manifest).invoke(args)` with dbt's console output captured, this run's
    environment set and the DuckDB file closed afterwards; exit codes as dbt's own CLI."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import capture_stdout_logs, stop_capture_stdout_logs

    full = in_process_arguments(args, variables, work_dir)
    changes = {"DBT_PROFILES_DIR": str(REPO_ROOT), **(env or {})}
    if db_path is not None:
        changes[DB_PATH_ENV_VAR] = str(db_path)
    output = io.StringIO()
    capture_stdout_logs(output)
    try:
        with _environ(changes), contextlib.chdir(REPO_ROOT):
            outcome = dbtRunner(manifest=manifest).invoke(full)
    finally:
        stop_capture_stdout_logs()
        # dbt-duckdb keeps its database in a class attribute: close it, so the file is free
        # for the caller and the next run opens its own (another path, other settings).
        with DuckDBConnectionManager._LOCK:
            if DuckDBConnectionManager._ENV is not None:
                DuckDBConnectionManager._ENV.close()
                DuckDBConnectionManager._ENV = None
    if outcome.success:
        code = 0
    elif outcome.exception is None:
        code = 1  # a model or a test failed
    else:
        code = 2  # dbt could not run (its CLI's exit code for an error)
        if str(outcome.exception) not in output.getvalue():  # e.g. a usage error
            output.write(f"Encountered an error:\n{outcome.exception}\n")
    result = _InProcessResult(command(args, variables, work_dir), code, output.getvalue(), "")
    if args[:1] == ["parse"] and outcome.success:
        result.manifest = outcome.result
    return result


def invoke(
    args: Sequence[str],
    *,
    variables: Mapping[str, object] | None = None,
    work_dir: Path | None = None,
) -> Any:
    """Run dbt in this process (`dbtRunner`), for callers that need its open sessions (Spark).

    The environment (the DuckDB path, Spark's folders) is this process's; returns dbt's
    `dbtRunnerResult` (`.success`, `.exception`).
    """
    from dbt.cli.main import dbtRunner

    return dbtRunner().invoke(in_process_arguments(args, variables, work_dir))
