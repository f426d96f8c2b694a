"""`python -m ml`: help for every command, and one-line errors with status 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import skops.io as sio
from conftest import TinyRun

from ml import config
from ml.__main__ import main
from ml.artifacts import BUNDLE_FORMAT


class Gadget:
    """An object no model needs."""


@dataclass(frozen=True)
class Outcome:
    """Exit status and output of one command."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """`python -m ml ...`, run in this process (the imports are paid once)."""

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        try:
            returncode = main(list(args))
        except SystemExit as exit_:  # argparse's --help and usage errors
            returncode = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Outcome(returncode, captured.out, captured.err)

    return run


def assert_one_line_error(result: Outcome, *fragments: str) -> None:
    """Status 2, a single `error:` line naming the fragments, no traceback."""
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in errors[0]


def test_module_entry_point(tmp_path: Path) -> None:
    """`python -m ml` itself: help on stdout, and status 2 with one line for a missing file."""
    command = [sys.executable, "-m", "ml"]
    shown = subprocess.run(
        [*command, "--help"], cwd=config.REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0
    assert "train" in shown.stdout and "score" in shown.stdout and "stats" in shown.stdout
    failed = subprocess.run(
        [*command, "stats", "--db-path", str(tmp_path / "none.duckdb")],
        cwd=config.REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert_one_line_error(Outcome(failed.returncode, failed.stdout, failed.stderr), "dbt build")


def test_help_explains_every_command(run_cli: Callable[..., Outcome]) -> None:
    """The top-level help lists the commands; each command has its own help."""
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("train", "score", "queue", "stats"):
        assert command in result.stdout
        sub = run_cli(command, "--help")
        assert sub.returncode == 0
        assert "--db-path" in sub.stdout
        assert "--artifacts-dir" in sub.stdout


@pytest.mark.parametrize("command", ["train", "score", "stats"])
def test_missing_database(command: str, tmp_path: Path, run_cli: Callable[..., Outcome]) -> None:
    """No DuckDB file: say so and point at `dbt build`."""
    missing = tmp_path / "nowhere.duckdb"
    result = run_cli(command, "--db-path", str(missing), "--artifacts-dir", str(tmp_path))
    assert_one_line_error(result, "no DuckDB file", str(missing), "dbt build")


def test_missing_database_from_the_environment(
    tmp_path: Path, run_cli: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default path comes from $TIKTOK_DUCKDB_PATH."""
    missing = tmp_path / "from_env.duckdb"
    monkeypatch.setenv(config.DB_PATH_ENV_VAR, str(missing))
    result = run_cli("stats", "--artifacts-dir", str(tmp_path))
    assert_one_line_error(result, str(missing))


@pytest.mark.parametrize(
    ("command", "relation"),
    [("train", "marts.claim_features"), ("score", "marts.videos"), ("stats", "marts.videos")],
)
def test_missing_mart(
    command: str,
    relation: str,
    tiny_run: TinyRun,
    tmp_path: Path,
    run_cli: Callable[..., Outcome],
) -> None:
    """A file without the marts: name the missing one and say to run `dbt build`."""
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    shutil.copytree(tiny_run.artifacts_dir, tmp_path / "artifacts")
    result = run_cli(
        command, "--db-path", str(empty), "--artifacts-dir", str(tmp_path / "artifacts")
    )
    assert_one_line_error(result, relation, "dbt build")


def test_locked_database(
    tiny_warehouse: Path, tmp_path: Path, run_cli: Callable[..., Outcome]
) -> None:
    """A file another process writes to: say which process holds it and to retry."""
    db_path = tmp_path / "locked.duckdb"
    shutil.copyfile(tiny_warehouse, db_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " time.sleep(60)",
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        result = run_cli("stats", "--db-path", str(db_path), "--artifacts-dir", str(tmp_path))
    finally:
        holder.kill()
        holder.wait()
    assert_one_line_error(result, "is locked by process", str(holder.pid), "run this again")


def test_untrusted_model_file(
    tiny_run: TinyRun, tmp_path: Path, run_cli: Callable[..., Outcome]
) -> None:
    """`score` with a model holding an unexpected type: refused, the type named."""
    model = tmp_path / "model.skops"
    sio.dump({"format": BUNDLE_FORMAT, "pipeline": Gadget()}, model)
    result = run_cli("score", "--db-path", str(tiny_run.db_path), "--model", str(model))
    assert_one_line_error(result, "refusing to load", "Gadget")


def test_missing_model_file(
    tiny_run: TinyRun, tmp_path: Path, run_cli: Callable[..., Outcome]
) -> None:
    """`score` before `train`: say to train first."""
    result = run_cli("score", "--db-path", str(tiny_run.db_path), "--artifacts-dir", str(tmp_path))
    assert_one_line_error(result, "no model at", "python -m ml train")


def test_costs_set_the_review_band(
    tiny_warehouse: Path, tmp_path: Path, run_cli: Callable[..., Outcome]
) -> None:
    """`train --cost-*`: the costs reach the metrics, the review band and the model card."""
    db_path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_warehouse, db_path)
    artifacts = tmp_path / "artifacts"
    result = run_cli(
        "train",
        "--fast",
        "--db-path",
        str(db_path),
        "--artifacts-dir",
        str(artifacts),
        "--cost-missed-claim",
        "10",
        "--cost-false-flag",
        "2",
        "--cost-review",
        "0.5",
    )
    assert result.returncode == 0, result.stderr
    section = json.loads((artifacts / config.METRICS_FILE).read_text())["abstention"]
    assert section["costs"] == {"missed_claim": 10.0, "false_flag": 2.0, "review": 0.5}
    assert section["review_band"] == pytest.approx([0.05, 0.75])
    card = (artifacts / config.MODEL_CARD_FILE).read_text()
    assert "A missed claim costs 10, a false flag\n2, a review 0.5" in card
    assert "between p = 0.0500 and p = 0.7500" in card
    # The abstention figures of each setting are printed, as recorded.
    for setting, measured in section["settings"].items():
        suite = measured["perturbation_suite"]
        row = next(
            line
            for line in result.stdout.splitlines()
            if line.split()[:1] == [setting.split()[0]] and "perturbation suite" in line
        )
        assert f"{suite['rows']:,}" in row
        assert row.split()[-2:] == [f"{suite['flagged_share']:.2%}", f"{suite['buried_share']:.2%}"]


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [("--cost-review", "0", "must be above 0"), ("--cost-missed-claim", "x", "expected a number")],
)
def test_bad_cost_is_a_usage_error(
    option: str, value: str, fragment: str, run_cli: Callable[..., Outcome]
) -> None:
    result = run_cli("train", option, value)
    assert result.returncode == 2
    assert fragment in result.stderr


def test_costs_without_a_review_band_are_refused(
    tiny_warehouse: Path, tmp_path: Path, run_cli: Callable[..., Outcome]
) -> None:
    """A review dearer than a false flag leaves no band: one line, before any training."""
    result = run_cli(
        "train",
        "--db-path",
        str(tiny_warehouse),
        "--artifacts-dir",
        str(tmp_path),
        "--cost-review",
        "3",
    )
    assert_one_line_error(result, "--cost-review 3 leaves no review band")
    assert not (tmp_path / config.METRICS_FILE).exists()
