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
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ml.config import DB_PATH_ENV_VAR, REPO_ROOT
from ml.errors import MlError

PR_SET_PDEATHSIG = 1


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
) -> subprocess.CompletedProcess[str]:
    """Run `dbt ARGS` in the repository; the finished process (its output if captured).

    `check=True` raises `DbtError` on a non-zero exit. `die_with_parent=True` has the kernel
    kill dbt if this process dies, so a killed build leaves nothing working on its files.
    """
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

    full = arguments(args, variables, work_dir)
    full += ["--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT)]
    return dbtRunner().invoke(full)
