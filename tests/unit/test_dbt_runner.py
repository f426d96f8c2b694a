"""warehouse.dbt, the one way to run dbt: its command line, environment and error message."""

from __future__ import annotations

from pathlib import Path

from ml.config import REPO_ROOT
from warehouse import dbt

# The end of dbt's output when a model fails (as dbt 1.11 prints it, colours removed).
FAILED_OUTPUT = """\
12:00:01  Finished running 3 view models in 0 hours 0 minutes and 1.20 seconds (1.20s).
12:00:01
12:00:01  Completed with 1 error, 0 partial successes, and 0 warnings:
12:00:01
12:00:01    Runtime Error in model tiktok_export (models/raw/tiktok_export.sql)
  export '/data/x.csv', line 3: the file looks truncated
12:00:01
12:00:01  Done. PASS=2 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=3
"""


def test_arguments_put_the_work_folders_and_the_vars_after_the_command() -> None:
    args = dbt.arguments(
        ["build", "--select", "marts"],
        {"raw_videos_path": Path("/data/exports"), "max_rejected_share": 0.1},
        Path("/tmp/work"),
    )
    assert args == [
        "build",
        "--select",
        "marts",
        "--target-path",
        "/tmp/work/target",
        "--log-path",
        "/tmp/work/logs",
        "--vars",
        '{"raw_videos_path": "/data/exports", "max_rejected_share": 0.1}',
    ]
    assert dbt.arguments(["parse"]) == ["parse"]
    assert dbt.command(["parse"])[0] == str(dbt.executable())


def test_environment_names_the_file_and_the_repository_profiles() -> None:
    env = dbt.environment(Path("/tmp/w/tiktok.duckdb"), {"TIKTOK_PARTS_DIR": "/tmp/w/parts"})
    assert env["TIKTOK_DUCKDB_PATH"] == "/tmp/w/tiktok.duckdb"
    assert env["DBT_PROFILES_DIR"] == str(REPO_ROOT)
    assert env["TIKTOK_PARTS_DIR"] == "/tmp/w/parts"
    assert "PATH" in env  # the rest of this process's environment


def test_error_summary_is_dbt_first_error_message() -> None:
    assert dbt.error_summary(FAILED_OUTPUT) == (
        "export '/data/x.csv', line 3: the file looks truncated"
    )
    assert dbt.error_summary("Compilation Error:\n  'foo' is undefined\n") == "'foo' is undefined"
    assert dbt.error_summary("") == "dbt failed (see its log)"
