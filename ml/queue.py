"""Today's queue: the videos of one export, in review order, for moderators.

`marts.videos` holds each video's latest state and `latest_export_date`, the export its current
row comes from; `ml.claim_predictions` ranks every video (`review_priority`, 1 = review first).
The queue of an export is its videos (those whose latest state it delivered) in that order,
numbered from 1 by `queue_position`. `python -m ml score` keeps the view `ml.todays_queue` on
the newest export; `python -m ml queue --export YYYY-MM-DD` prints or writes any export's.
A video re-reported by a later export belongs to the later export's queue.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ml import config, db
from ml.errors import MlError

PREDICTIONS = f"{config.ML_SCHEMA}.claim_predictions"
QUEUE_VIEW = f"{config.ML_SCHEMA}.todays_queue"
QUEUE_COLUMNS = """
            row_number() over (order by p.review_priority) as queue_position,
            p.review_priority,
            p.video_id,
            v.latest_export_date as export_date,
            p.claim_probability,
            p.predicted_is_claim,
            p.needs_review,
            p.review_reason,
            v.video_view_count,
            v.verified_status,
            v.author_ban_status,
            v.claim_status,
            p.split,
            p.model_run_id,
            p.scored_at"""


def queue_sql(relation: str, export: str) -> str:
    """The queue of the export whose date the SQL expression `export` gives."""
    mart = db.quote_relation(relation)
    return f"""
        select {QUEUE_COLUMNS}
        from {mart} as v
        inner join {PREDICTIONS} as p on p.video_id = v.video_id
        where v.latest_export_date = ({export})
        order by p.review_priority
    """


def view_sql(relation: str) -> str:
    """`create or replace view ml.todays_queue`: the queue of the newest export of `relation`."""
    newest = f"select max(latest_export_date) from {db.quote_relation(relation)}"
    return f"create or replace view {QUEUE_VIEW} as {queue_sql(relation, newest)}"


def show_queue(
    db_path: Path, relation: str, export: date | None, output: Path | None, limit: int
) -> None:
    """Print the first `limit` rows of an export's queue, or write all of it to `output`."""
    if output is not None and not output.name.lower().endswith((".csv", ".parquet")):
        raise MlError(f"{output}: the output must end in .csv or .parquet")
    with db.reading(db_path) as connection:
        db.require_relation(connection, relation, db_path)
        if "latest_export_date" not in db.column_types(connection, relation):
            raise MlError(f"{relation} has no latest_export_date: rebuild it with `dbt build`")
        if not db.relation_exists(connection, PREDICTIONS):
            raise MlError(f"{PREDICTIONS} is missing from {db_path}: run `python -m ml score`")
        exports = connection.execute(
            "select latest_export_date, count(*) from "
            f"{db.quote_relation(relation)} group by 1 order by 1"
        ).fetchall()
        known = {row[0]: row[1] for row in exports if row[0] is not None}
        if not known:
            raise MlError(f"{relation} holds no export dates: load an export with `dbt build`")
        chosen = export or max(known)
        if chosen not in known:
            raise MlError(
                f"no video of {relation} has its latest state from an export of {chosen}; "
                f"the exports are {min(known)} to {max(known)} (use --export YYYY-MM-DD)"
            )
        table = connection.sql(
            queue_sql(relation, "$export"), params={"export": chosen}
        ).to_arrow_table()
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.name.lower().endswith(".parquet"):
            pq.write_table(table, output)
        else:
            pacsv.write_csv(table, output)
        print(f"{output}: the queue of the {chosen} export, {table.num_rows:,} videos")
        return
    frame = table.slice(0, limit).to_pandas()
    shown = frame[
        [
            "queue_position",
            "video_id",
            "claim_probability",
            "needs_review",
            "review_reason",
            "video_view_count",
        ]
    ]
    print(f"the queue of the {chosen} export: {table.num_rows:,} videos, the first {len(frame)}")
    print(shown.to_string(index=False))
