"""`python -m ml score --input FILE --output FILE`: score one export file, without the warehouse.

For moderators' tools: any export (CSV or Parquet) in, one row per input row out (CSV or
Parquet, by the output's suffix). The file goes through the project's own loader: dbt builds the
staging models on it into a throw-away DuckDB file (`load_with_dbt`, the one function that knows
the staging relations), so types and quarantine reasons are exactly the warehouse's. Valid rows
are scored as `ml.score` scores the mart (champion, or the at-upload model for a video without
counts; `needs_review`, `review_reason`, `review_priority` within the file); a quarantined row
keeps its place with no probability and `review_reason` "rejected: <the loader's reason>".
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ml import db, drift
from ml.artifacts import ModelBundle, load_bundle
from ml.errors import MlError
from ml.features import CATEGORICAL_COLS, ID_COL, NUMERIC_COLS, TEXT_COL
from ml.score_predict import predict_frame
from ml.score_write import queue_positions
from warehouse import dbt

OUTPUT_COLUMNS = (
    "source_row_number",
    ID_COL,
    "claim_probability",
    "predicted_is_claim",
    "needs_review",
    "review_reason",
    "review_priority",
    "scoring_model",
    "model_run_id",
)
SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class FileScoreSummary:
    """What one file run did."""

    rows: int
    scored: int
    rejected: int
    flagged: int
    drift_warning: str | None


def load_with_dbt(input_path: Path, work_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the staging models on `input_path`; return its typed rows and its quarantined rows.

    Typed rows: `staging.stg_tiktok__videos` rows not rejected (with `transcription_length`
    as the marts compute it). Quarantined rows: `intermediate.int_export_rows_quarantined`
    (checks failed, later copies of a video_id, lines the reader could not parse).
    """
    db_path = work_dir / "load.duckdb"
    try:
        dbt.run(
            ["run", "--select", "+stg_tiktok__videos", "+int_export_rows_quarantined"],
            db_path=db_path,
            # Every rejected row is reported in the output, so a file is never refused whole.
            variables={"raw_videos_path": str(input_path), "max_rejected_share": 1.0},
            work_dir=work_dir,
            check=True,
        )
    except dbt.DbtError as error:
        raise MlError(f"the loader could not read {input_path}: {error.detail}") from None
    with db.reading(db_path) as connection:
        valid = connection.execute(
            """
            select
                v.*,
                cast(length(v.video_transcription_text) as integer) as transcription_length
            from staging.stg_tiktok__videos as v
            where not v.is_rejected
                and not exists (
                    select 1 from intermediate.int_export_rows_quarantined as r
                    where r.source_row_number = v.source_row_number
                )
            """
        ).df()
        rejected = connection.execute(
            "select source_row_number, source_line, video_id, rejection_reason "
            "from intermediate.int_export_rows_quarantined"
        ).df()
    return valid, rejected


def read_input(input_path: Path) -> None:
    """Refuse a missing file or a format the loader does not read, in one line."""
    if not input_path.is_file():
        raise MlError(f"no file at {input_path}")
    if not input_path.name.lower().endswith((".csv", ".csv.gz", ".parquet")):
        raise MlError(f"{input_path}: expected a .csv, .csv.gz or .parquet export")


def score_rows(bundle: ModelBundle, valid: pd.DataFrame) -> pd.DataFrame:
    """The model's outputs for the loader's valid rows, ranked within the file."""
    frame = valid.assign(split="file")
    for column in NUMERIC_COLS:
        frame[column] = frame[column].astype("float64")
    for column in (TEXT_COL, *CATEGORICAL_COLS):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    result = predict_frame(bundle, frame)
    table = pa.table(
        {
            ID_COL: pa.array(frame[ID_COL].to_numpy(), pa.int64()),
            "claim_probability": pa.array(
                result["claim_probability"].to_numpy(), mask=result["claim_probability"].isna()
            ),
            "predicted_is_claim": pa.array(result["predicted_is_claim"], pa.bool_()),
            "needs_review": pa.array(result["needs_review"], pa.bool_()),
            "reach": pa.array(result["reach"], pa.float64()),
        }
    )
    result["review_priority"] = queue_positions(table) if len(frame) else np.zeros(0, int)
    result["source_row_number"] = frame["source_row_number"].to_numpy()
    result[ID_COL] = frame[ID_COL].to_numpy()
    result["scoring_model"] = result["scored_by"]
    return result


def score_file(input_path: Path, output_path: Path, model_path: Path) -> FileScoreSummary:
    """Score every row of `input_path` into `output_path` (see the module docstring)."""
    input_path = input_path.resolve()
    read_input(input_path)
    if not output_path.name.lower().endswith(SUFFIXES):
        raise MlError(f"{output_path}: the output must end in .csv or .parquet")
    bundle = load_bundle(model_path)
    with tempfile.TemporaryDirectory(prefix="ml-score-file-") as work:
        valid, rejected = load_with_dbt(input_path, Path(work))
    scored = score_rows(bundle, valid)
    quarantined = pd.DataFrame(
        {
            "source_row_number": rejected["source_row_number"],
            ID_COL: rejected[ID_COL],
            "claim_probability": np.nan,
            "predicted_is_claim": None,
            "needs_review": True,
            "review_reason": "rejected: " + rejected["rejection_reason"].astype(str),
            "review_priority": None,
            "scoring_model": None,
            "order": rejected["source_line"].fillna(rejected["source_row_number"]),
        }
    )
    scored["order"] = scored["source_row_number"]
    rows = pd.concat([scored.drop(columns=["scored_by"], errors="ignore"), quarantined])
    rows = rows.sort_values("order", kind="stable").assign(model_run_id=bundle.model_run_id)
    output = pa.Table.from_pandas(
        rows.loc[:, list(OUTPUT_COLUMNS)].astype(
            {
                "source_row_number": "Int64",
                ID_COL: "Int64",
                "review_priority": "Int64",
                "predicted_is_claim": "boolean",
                "needs_review": "boolean",
            }
        ),
        preserve_index=False,
    )
    output_path.parent.mkdir(parents=True, exist_ok=True)
    if output_path.name.lower().endswith(".parquet"):
        pq.write_table(output, output_path)
    else:
        pacsv.write_csv(output, output_path)
    drifted = drift.measure(
        bundle.profile,
        {
            **{c: valid[c] for c in bundle.profile if c in valid.columns},
            "opening_novelty": scored["opening_novelty"],
            "claim_probability": scored["claim_probability"][
                scored["scored_by"] == bundle.model_name
            ],
        },
    )
    return FileScoreSummary(
        rows=len(rows),
        scored=int(scored["claim_probability"].notna().sum()),
        rejected=len(rejected),
        flagged=int(rows["needs_review"].sum()),
        drift_warning=drift.warning(drifted),
    )
