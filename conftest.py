"""Shared pytest fixtures: where the real export is, and warehouses built from it.

The real export may not be redistributed, so it is read from `TIKTOK_DATASET` or
`../shared/data/tiktok_dataset.csv` beside the checkout. Where it is absent the tests
that need it skip with the reason, except under `CI=true`, where its absence fails them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
DEFAULT_REAL_DATASET = REPO_ROOT.parent / "shared" / "data" / "tiktok_dataset.csv"
# The export's header, in order: what the corrupt-file tests write.
EXPORT_HEADER = [
    "#",
    "claim_status",
    "video_id",
    "video_duration_sec",
    "video_transcription_text",
    "verified_status",
    "author_ban_status",
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
]


def real_dataset_path() -> Path:
    """The real export's path, or skip (fail under CI=true) where it is absent."""
    path = Path(os.environ.get("TIKTOK_DATASET", DEFAULT_REAL_DATASET)).resolve()
    if not path.is_file():
        reason = (
            f"the real TikTok export is not at {path} "
            "(set TIKTOK_DATASET to its path to run this test)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return path


def run_dbt_build(
    db_path: Path,
    work_dir: Path,
    raw_videos_path: Path | None = None,
    variables: dict[str, object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt build` (seed, models, all tests) into `db_path`; return the finished process."""
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    variables = dict(variables or {})
    if raw_videos_path is not None:
        variables["raw_videos_path"] = str(raw_videos_path)
    if variables:
        command += ["--vars", json.dumps(variables)]
    env = {**os.environ, "TIKTOK_DUCKDB_PATH": str(db_path)}
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )


def dbt_build(db_path: Path, work_dir: Path, raw_videos_path: Path | None = None) -> None:
    """Run `dbt build` into `db_path`; fail the test with dbt's log if it fails."""
    result = run_dbt_build(db_path, work_dir, raw_videos_path)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed ({' '.join(result.args)}):\n{result.stdout[-6000:]}")


# A process that opens a DuckDB file read-only and answers one query per line of its stdin with
# the rows as one JSON line: an analyst's session held open in another process.
READER_SCRIPT = """
import json, sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
print("ready", flush=True)
for line in sys.stdin:
    rows = connection.execute(line).fetchall()
    print(json.dumps(rows, default=str), flush=True)
"""


class HeldReader:
    """A read-only session on `db_path` held open in another process until `close()`."""

    def __init__(self, db_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", READER_SCRIPT, str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def rows(self, sql: str) -> list[list[object]]:
        """The rows of one query (a single line of SQL), as the held session sees them."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(sql.replace("\n", " ") + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, f"the reader process died (exit code {self.process.poll()})"
        return json.loads(answer)

    def close(self) -> None:
        """End the session."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)

    def __enter__(self) -> HeldReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def duckdb_cli() -> Path:
    """The pinned `duckdb` CLI (duckdb-cli from pip, a DuckDB 1.5 client) beside this Python."""
    cli = Path(sys.executable).with_name("duckdb")
    if not cli.exists():
        found = shutil.which("duckdb")
        assert found, "the duckdb CLI is not installed: pip install -r requirements.txt"
        cli = Path(found)
    return cli


def cli_scalar(db_path: Path, sql: str) -> str:
    """The single value `sql` returns when the pinned CLI opens `db_path` read-only."""
    result = subprocess.run(
        [str(duckdb_cli()), "-readonly", "-csv", "-noheader", str(db_path), "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"duckdb CLI failed on {db_path}: {result.stderr.strip()}"
    return result.stdout.strip()


@pytest.fixture(scope="session")
def real_dataset() -> Path:
    """Path of the real export (skips where absent, fails under CI=true)."""
    return real_dataset_path()


@pytest.fixture(scope="session")
def real_warehouse(real_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file built by `dbt build` from the real export, once per test session."""
    work_dir = tmp_path_factory.mktemp("real_warehouse")
    db_path = work_dir / "tiktok.duckdb"
    dbt_build(db_path, work_dir, raw_videos_path=real_dataset)
    return db_path


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file built by `dbt build` from the embedded synthetic seed, once per session."""
    work_dir = tmp_path_factory.mktemp("seed_warehouse")
    db_path = work_dir / "tiktok.duckdb"
    dbt_build(db_path, work_dir)
    return db_path
