"""The one conftest of the test suite: the real export, warehouses built once, tiny ones.

- The real export may not be redistributed, so it is read from `TIKTOK_DATASET` or
  `../shared/data/tiktok_dataset.csv` beside the checkout. Where it is absent the tests that
  need it skip with the reason, except under `CI=true`, where its absence fails them.
- The tests' own dbt runs (`run_dbt_build`, `dbt_run`) run dbt in this process on the project
  parsed once per session (`warehouse.dbt.ParsedProject`), not in a new dbt process that parses
  it again (~10 s each). `python -m warehouse` still runs dbt as its child, as users run it.
- `real_warehouse` and `seed_warehouse` are built by `dbt build` once per session; tests copy
  them before writing. `real_run` trains, scores and runs the statistics on a copy, once.
- The tiny warehouse is written straight into DuckDB (no dbt) with the marts' column types, so
  unit tests of scoring, schema checks and the CLI take seconds.
- Tests under `tests/integration/` are marked `slow` here (they build with dbt, train, drive
  Spark or the browser); `make test-fast` runs the others (`-m "not slow"`).
- `make test` runs the tests in two processes (pytest-xdist); the scheduler here keeps each
  integration module's tests in one of them (`XDIST_GROUPS`, `pytest_xdist_make_scheduler`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from ml import config
from ml.score import ScoreSummary, score
from ml.stats import StatisticsResult, run_statistics
from ml.text import PhraseCounter
from ml.train import TrainingResult, train
from warehouse import dbt
from warehouse.project import COUNT_COLUMNS

REPO_ROOT = Path(__file__).resolve().parent.parent
INTEGRATION_DIR = Path(__file__).resolve().parent / "integration"
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
    *COUNT_COLUMNS,
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


_PARSED: list[dbt.ParsedProject] = []
# The folder where the dbt of the session's `python -m warehouse` children writes `target/` and
# `logs/` (see `warehouse_environment`).
_CHILD_DBT_DIR: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def _parsed_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The session's `ParsedProject` (it parses on first use: free for tests without dbt), and
    the folder of its `python -m warehouse` children's dbt files."""
    _PARSED.append(dbt.ParsedProject(tmp_path_factory.mktemp("dbt_parse")))
    _CHILD_DBT_DIR.append(tmp_path_factory.mktemp("dbt_children"))
    yield
    _PARSED.clear()
    _CHILD_DBT_DIR.clear()


def dbt_run(args: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """`warehouse.dbt.run` in this process on the session's parsed project (same arguments,
    exit code and output as a dbt process)."""
    return dbt.run(args, parsed=_PARSED[0], **options)


def run_dbt_build(
    db_path: Path,
    work_dir: Path,
    raw_videos_path: Path | None = None,
    variables: dict[str, object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt build` (seed, models, all tests) into `db_path`; return the finished process."""
    variables = dict(variables or {})
    if raw_videos_path is not None:
        variables["raw_videos_path"] = str(raw_videos_path)
    return dbt_run(["build"], db_path=db_path, variables=variables, work_dir=work_dir)


def dbt_build(db_path: Path, work_dir: Path, raw_videos_path: Path | None = None) -> None:
    """Run `dbt build` into `db_path`; fail the test with dbt's log if it fails."""
    result = run_dbt_build(db_path, work_dir, raw_videos_path)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed ({' '.join(result.args)}):\n{result.stdout[-6000:]}")


def warehouse_command(
    db_path: Path, *args: str, exports: Path | None = None, dbt_args: tuple[str, ...] = ()
) -> list[str]:
    """`python -m warehouse --db-path DB ARGS [-- DBT_ARGS --vars {raw_videos_path: EXPORTS}]`:
    the build as `make build` runs it (a child process that runs dbt as its own child)."""
    command = [sys.executable, "-m", "warehouse", "--db-path", str(db_path), *args]
    variables = ["--vars", json.dumps({"raw_videos_path": str(exports)})] if exports else []
    if dbt_args or variables:
        command += ["--", *dbt_args, *variables]
    return command


def warehouse_environment() -> dict[str, str]:
    """The environment of a `python -m warehouse` child: this process's, with dbt's `target/`
    and `logs/` (`DBT_TARGET_PATH`, `DBT_LOG_PATH`, which its dbt child inherits) in this
    session's folder, not the repository's: the tests run in two processes at once (pytest-xdist),
    and another one's builds or `dbt parse` must not write the same partial parse file and
    manifest. One folder per session keeps dbt's partial parse between builds that parse the
    same way (same vars and file: the builds of one daily load, or of one folder day by day)."""
    folder = _CHILD_DBT_DIR[0]
    return {
        **os.environ,
        "DBT_TARGET_PATH": str(folder / "target"),
        "DBT_LOG_PATH": str(folder / "logs"),
    }


def run_warehouse(
    db_path: Path, *args: str, exports: Path | None = None, dbt_args: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run `warehouse_command(...)` from the repository to its end; its output captured."""
    return subprocess.run(
        warehouse_command(db_path, *args, exports=exports, dbt_args=dbt_args),
        cwd=REPO_ROOT,
        env=warehouse_environment(),
        capture_output=True,
        text=True,
        check=False,
    )


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


# --- the tiny warehouse and the runs on it (the `ml/` tests) ---------------------------

CLAIM_OPENINGS = ("someone shared with me that", "a friend read that", "i learned that")
OPINION_OPENINGS = ("i think that", "my family feels that", "our view is that")
FACT_WORDS = (
    "the",
    "moon",
    "river",
    "forest",
    "city",
    "bridge",
    "mountain",
    "ocean",
    "desert",
    "island",
    "volcano",
    "glacier",
    "canyon",
    "valley",
    "lake",
    "tower",
    "museum",
    "library",
)
COUNT_COLS = COUNT_COLUMNS


def tiny_videos(labeled: int = 240, seed: int = 7) -> pd.DataFrame:
    """`marts.videos`-shaped rows: `labeled` complete ones (half claims), then 6 special rows.

    The special rows: three unlabeled (one complete, two missing features), one labeled claim
    missing its transcript, one labeled opinion missing its counts, one unlabeled with
    everything missing but its statuses.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(labeled):
        is_claim = index % 2 == 0
        opening = rng.choice(CLAIM_OPENINGS if is_claim else OPINION_OPENINGS)
        fact = " ".join(rng.choice(FACT_WORDS, size=6))
        views = int(rng.integers(10_001, 900_000) if is_claim else rng.integers(20, 10_000))
        likes = int(views * rng.uniform(0, 0.5))
        rows.append(
            {
                "video_id": 1_000_000_000 + index,
                "claim_status": "claim" if is_claim else "opinion",
                "verified_status": rng.choice(["verified", "not verified"], p=[0.2, 0.8]),
                "author_ban_status": rng.choice(["active", "under review", "banned"]),
                "video_transcription_text": f"{opening} {fact}",
                "video_duration_sec": int(rng.integers(5, 61)),
                "video_view_count": views,
                "video_like_count": likes,
                "video_share_count": likes // 5,
                "video_download_count": likes // 50,
                "video_comment_count": likes // 100,
            }
        )
    frame = pd.DataFrame(rows)
    special = pd.DataFrame(
        [
            {**rows[0], "video_id": 2_000_000_001, "claim_status": None},
            {
                **rows[1],
                "video_id": 2_000_000_002,
                "claim_status": None,
                "video_transcription_text": None,
                **dict.fromkeys(COUNT_COLS),
            },
            {**rows[2], "video_id": 2_000_000_003, "claim_status": None, "video_view_count": None},
            {**rows[4], "video_id": 2_000_000_004, "video_transcription_text": None},
            {**rows[5], "video_id": 2_000_000_005, **dict.fromkeys(COUNT_COLS)},
            {
                **rows[3],
                "video_id": 2_000_000_006,
                "claim_status": None,
                "video_transcription_text": None,
                "video_duration_sec": None,
                **dict.fromkeys(COUNT_COLS),
            },
        ]
    )
    return pd.concat([frame, special], ignore_index=True)


def write_tiny_warehouse(db_path: Path, videos: pd.DataFrame, view_type: str = "bigint") -> None:
    """`marts.videos` and `marts.claim_features` with the marts' types (views as `view_type`)."""
    with duckdb.connect(str(db_path)) as connection:
        connection.register("raw_videos", videos)
        connection.execute("create schema marts")
        connection.execute(
            f"""
            create table marts.videos as
            select
                cast(video_id as bigint) as video_id,
                cast(row_number() over (order by video_id) as bigint) as source_row_number,
                '2026-11-01.csv' as source_file,
                cast(claim_status as varchar) as claim_status,
                cast(verified_status as varchar) as verified_status,
                cast(author_ban_status as varchar) as author_ban_status,
                cast(video_transcription_text as varchar) as video_transcription_text,
                cast(video_duration_sec as integer) as video_duration_sec,
                cast(video_view_count as {view_type}) as video_view_count,
                cast(video_like_count as bigint) as video_like_count,
                cast(video_share_count as bigint) as video_share_count,
                cast(video_download_count as bigint) as video_download_count,
                cast(video_comment_count as bigint) as video_comment_count,
                cast(length(video_transcription_text) as integer) as transcription_length,
                claim_status is not null as is_labeled,
                case claim_status when 'claim' then true when 'opinion' then false end
                    as is_claim,
                video_transcription_text is not null
                    and video_view_count is not null and video_like_count is not null
                    and video_share_count is not null and video_download_count is not null
                    and video_comment_count is not null as has_complete_features,
                date '2026-11-01' as first_export_date,
                date '2026-11-01' as latest_export_date
            from raw_videos
            """
        )
        connection.execute(
            """
            create table marts.claim_features as
            select
                video_id, video_transcription_text, verified_status, author_ban_status,
                video_duration_sec, transcription_length, video_view_count, video_like_count,
                video_share_count, video_download_count, video_comment_count,
                cast(video_like_count as double) / nullif(video_view_count, 0)
                    as likes_per_view,
                is_claim
            from marts.videos
            where is_labeled and has_complete_features
            """
        )


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny warehouse file, shared read-only by the tests (copy it before writing)."""
    db_path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    write_tiny_warehouse(db_path, tiny_videos())
    return db_path


@dataclass(frozen=True)
class TinyRun:
    """A tiny warehouse that has been trained (fast mode) and scored."""

    db_path: Path
    artifacts_dir: Path
    training: TrainingResult
    scoring: ScoreSummary

    @property
    def model_path(self) -> Path:
        """The champion's skops file."""
        return self.artifacts_dir / config.MODEL_FILE


@pytest.fixture(scope="session")
def tiny_run(tiny_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> TinyRun:
    """`train --fast` then `score` on a copy of the tiny warehouse."""
    work_dir = tmp_path_factory.mktemp("tiny_run")
    db_path = work_dir / "tiny.duckdb"
    shutil.copyfile(tiny_warehouse, db_path)
    training = train(db_path, work_dir / "artifacts", fast=True)
    scoring = score(db_path, work_dir / "artifacts" / config.MODEL_FILE)
    return TinyRun(db_path, work_dir / "artifacts", training, scoring)


@dataclass(frozen=True)
class RealRun:
    """The real warehouse after a full `train`, `score` and `stats`."""

    db_path: Path
    artifacts_dir: Path
    training: TrainingResult
    scoring: ScoreSummary
    statistics: StatisticsResult


@pytest.fixture(scope="session")
def real_run(real_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> RealRun:
    """Train (full grids), score and run the statistics once, on a copy of the real warehouse."""
    work_dir = tmp_path_factory.mktemp("real_run")
    db_path = work_dir / "tiktok.duckdb"
    shutil.copyfile(real_warehouse, db_path)
    artifacts_dir = work_dir / "artifacts"
    training = train(db_path, artifacts_dir)
    scoring = score(db_path, artifacts_dir / config.MODEL_FILE)
    statistics = run_statistics(db_path, artifacts_dir)
    return RealRun(db_path, artifacts_dir, training, scoring, statistics)


def phrase_counters(pipeline: object) -> list[PhraseCounter]:
    """Every PhraseCounter inside a fitted pipeline (nested pipelines, column transformers and
    calibrated classifiers)."""
    found = []
    stack = [pipeline]
    while stack:
        item = stack.pop()
        if isinstance(item, PhraseCounter):
            found.append(item)
        stack.extend(getattr(item, "named_steps", {}).values())
        stack.extend(step for _, step, _ in getattr(item, "transformers_", []))
        stack.extend(part.estimator for part in getattr(item, "calibrated_classifiers_", []))
    return found


# `make test` runs pytest in two processes (pytest-xdist: `-n 2 --dist loadgroup`). The tests of
# an integration module run in one of them, so the module's fixtures (a warehouse built by
# several dbt runs, the Spark builds) are built once; modules that share a fixture built once
# per session go together too. Other tests go wherever a process is free.
XDIST_GROUPS = {
    "test_report.py": "real_report",  # `build_real_report`: train, score, stats, the report
    "test_browser.py": "real_report",
    "test_real_data.py": "real_run",  # `real_run`: the full training on the real export
    "test_metrics.py": "real_run",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/integration/ `slow` (see the module's docstring)."""
    for item in items:
        if INTEGRATION_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)


def xdist_group_of(nodeid: str) -> str:
    """The group a test runs in under `--dist loadgroup`: its module's (`XDIST_GROUPS`) for an
    integration test, its own for another."""
    path, _, _ = nodeid.partition("::")
    folder, _, name = path.rpartition("/")
    if folder.endswith("tests/integration"):
        return XDIST_GROUPS.get(name, name)
    return nodeid


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: `-p no:xdist` runs without it
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` with the groups of `xdist_group_of`. (pytest-xdist 3.8's own groups
    from `xdist_group` marks work by setting the item's `_nodeid`, which pytest 9.2 ignores: the
    marked tests are spread as if unmarked.) The groups with the most tests go first."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group_of(nodeid)

    return ModuleGroupScheduling(config, log)
