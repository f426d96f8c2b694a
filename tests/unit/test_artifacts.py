"""The skops model file: round trip, and refusal of anything outside the trusted types."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from conftest import TinyRun
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ml.artifacts import BUNDLE_FORMAT, ModelBundle, load_bundle, save_bundle
from ml.errors import ArtifactError
from ml.features import to_model_frame
from ml.models import build_candidates
from ml.train_data import load_training_data


class Payload:
    """Stands for any object a model file should not be able to make us build."""

    def __init__(self) -> None:
        self.command = "rm -rf /"


@pytest.mark.parametrize("index", range(4), ids=[c.name for c in build_candidates(0)])
def test_every_candidate_round_trips(index: int, tiny_run: TinyRun, tmp_path: Path) -> None:
    """Each candidate type, fitted, saves and loads with the trusted list and predicts the same."""
    data = load_training_data(tiny_run.db_path, "marts.claim_features")
    candidate = build_candidates(0)[index]
    features = to_model_frame(data.frame, candidate.columns)
    with threadpool_limits(limits=1):  # as `train` does: OpenMP spin-waits on a busy machine
        pipeline = candidate.pipeline.fit(features, data.labels)
    bundle = ModelBundle(pipeline, candidate.name, "run-1", {"a": "BIGINT"}, 0.5, "now")
    path = tmp_path / "model.skops"
    save_bundle(bundle, path)
    loaded = load_bundle(path)
    assert np.array_equal(loaded.pipeline.predict_proba(features), pipeline.predict_proba(features))
    assert (loaded.model_name, loaded.model_run_id, loaded.feature_types, loaded.threshold) == (
        candidate.name,
        "run-1",
        {"a": "BIGINT"},
        0.5,
    )


def test_the_trained_champion_round_trips(tiny_run: TinyRun) -> None:
    """The file `train` wrote loads and names its run."""
    bundle = load_bundle(tiny_run.model_path)
    assert bundle.model_run_id == tiny_run.training.run_id
    assert bundle.model_name == tiny_run.training.champion
    assert set(bundle.feature_types) == set(bundle.pipeline.feature_names_in_)


def test_refuses_a_file_with_an_unknown_type(tmp_path: Path) -> None:
    """A file asking for a type outside the list is refused, naming the type, and nothing in it
    is built."""
    path = tmp_path / "evil.skops"
    sio.dump({"format": BUNDLE_FORMAT, "pipeline": Payload()}, path)
    with pytest.raises(ArtifactError, match=r"outside the trusted list: .*Payload"):
        load_bundle(path)


def test_refuses_an_untrusted_type_inside_a_pipeline(tmp_path: Path) -> None:
    """An unexpected estimator hidden in an otherwise normal bundle is refused too."""
    pipeline = Pipeline([("model", LogisticRegression())])
    pipeline.steps.append(("extra", Payload()))
    path = tmp_path / "hidden.skops"
    sio.dump(
        {
            "format": BUNDLE_FORMAT,
            "pipeline": pipeline,
            "model_name": "x",
            "model_run_id": "y",
            "feature_types": {},
            "threshold": 0.5,
            "trained_at": "now",
        },
        path,
    )
    with pytest.raises(ArtifactError, match="Payload"):
        load_bundle(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no model at"),
        (b"not a zip file", "not a skops model file"),
    ],
)
def test_missing_or_broken_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    """A missing file or one that is not a skops archive: a clear error."""
    path = tmp_path / "model.skops"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ArtifactError, match=message):
        load_bundle(path)


def test_refuses_a_skops_file_that_is_not_a_bundle(tmp_path: Path) -> None:
    """A plain skops file (no bundle format marker) is not taken for a model."""
    path = tmp_path / "plain.skops"
    sio.dump({"just": "data"}, path)
    with pytest.raises(ArtifactError, match="not a model saved by"):
        load_bundle(path)
