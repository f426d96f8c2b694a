"""dbt in the test process (`warehouse.dbt.run(..., parsed=...)`, the tests' `dbt_run`) behaves
as a dbt process: each run reads its own vars and DuckDB file, frees the file when done, and fails
with the exit code and first error line a dbt process gives.

The project is parsed once per session; these tests prove that nothing of one run (vars, the
database, its connection) leaks into the next, which the other tests rely on.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import REPO_ROOT, dbt_run

from warehouse import dbt

SEED = REPO_ROOT / "seeds" / "tiktok_dataset.csv"
EXPORT_FILES = ["run", "--select", "tiktok_export_files"]


def test_each_run_reads_its_own_vars_and_file_and_frees_it(tmp_path: Path) -> None:
    loaded = {}
    for day in ("2026-11-01", "2026-11-02"):
        folder = tmp_path / day
        folder.mkdir()
        shutil.copyfile(SEED, folder / f"{day}.csv")
        db_path = folder / "tiktok.duckdb"
        result = dbt_run(
            EXPORT_FILES,
            db_path=db_path,
            variables={"raw_videos_path": str(folder)},
            work_dir=folder,
        )
        assert result.returncode == 0, result.stdout[-3000:]
        # Read-write from this process: the run closed the file.
        with duckdb.connect(str(db_path)) as con:
            loaded[day] = con.execute(
                "select source_file, export_date::varchar from raw.tiktok_export_files"
            ).fetchall()
            con.execute("create table main.written_after_dbt as select 1 as x")
    assert loaded == {
        "2026-11-01": [("2026-11-01.csv", "2026-11-01")],
        "2026-11-02": [("2026-11-02.csv", "2026-11-02")],
    }


def test_a_failing_run_fails_as_a_dbt_process_does(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    outcomes = {}
    for how in ("process", "in process"):
        work = tmp_path / how
        run = dbt.run if how == "process" else dbt_run
        result = run(
            EXPORT_FILES,
            db_path=work / "tiktok.duckdb",
            variables={"raw_videos_path": str(missing)},
            work_dir=work,
        )
        outcomes[how] = (result.returncode, dbt.error_summary(result.stdout + result.stderr))
    assert outcomes["in process"] == outcomes["process"]
    code, detail = outcomes["process"]
    assert code == 1
    assert detail.startswith(f"raw_videos_path '{missing}': there is no export there.")


def test_a_parse_time_var_is_parsed_again(tmp_path: Path) -> None:
    """`moderator_decisions_path` chooses a `ref` while dbt parses: a run that sets it must not
    use the manifest parsed with the default, whose staging model reads the seed."""
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("video_id,decision,decided_at,moderator\n")
    upstream = {}
    for how, variables in (("default", {}), ("a file", {"moderator_decisions_path": decisions})):
        result = dbt_run(
            ["ls", "--select", "+stg_moderation__decisions", "--output", "name"],
            db_path=tmp_path / "tiktok.duckdb",
            variables=variables,
            work_dir=tmp_path / how,
        )
        assert result.returncode == 0, result.stdout[-3000:]
        upstream[how] = "moderator_decisions" in result.stdout.split()
    assert upstream == {"default": True, "a file": False}
