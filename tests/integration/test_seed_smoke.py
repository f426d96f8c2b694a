"""Smoke run on the embedded synthetic seed: `train --fast`, `score`, `stats` through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ml.__main__ import main


def test_commands_run_in_sequence_on_the_seed(
    seed_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The three commands succeed on a fresh `dbt build` of the seed; every video is ranked."""
    db_path = tmp_path / "seed.duckdb"
    shutil.copyfile(seed_warehouse, db_path)
    options = ["--db-path", str(db_path), "--artifacts-dir", str(tmp_path / "artifacts")]
    for command in (["train", "--fast"], ["score"], ["stats"]):
        assert main([*command, *options]) == 0, capsys.readouterr().err
    assert "champion" in capsys.readouterr().out
    with duckdb.connect(str(db_path), read_only=True) as connection:
        videos, ranked, runs, tests = connection.execute(
            """
            select
                (select count(*) from marts.videos),
                (select count(distinct video_id) from ml.claim_predictions),
                (select count(*) from ml.model_runs),
                (select count(*) from ml.hypothesis_tests)
            """
        ).fetchall()[0]
    assert videos == ranked > 0
    assert runs == 4
    assert tests == 1
    assert (tmp_path / "artifacts" / "model_card.md").is_file()
