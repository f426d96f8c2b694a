"""The champion model file: a skops archive that cannot run code when it is loaded.

A pickle runs whatever its author wrote the moment it is opened. skops stores objects as data
and rebuilds only types it is told to trust, so `load_bundle` passes the fixed list below (what
the four candidate pipelines need beyond skops' own safe defaults) and refuses any file that asks
for more, naming the types. It never trusts what the file itself declares.
"""

from __future__ import annotations

import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import skops.io as sio
from sklearn.pipeline import Pipeline
from skops.io.exceptions import UntrustedTypesFoundException

from ml.errors import ArtifactError

BUNDLE_FORMAT = "tiktok-claims-model/2"
TRUSTED_TYPES = [
    "ml.features.as_csr",
    "ml.text.PhraseCounter",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.tree._tree.Tree",
]


@dataclass(frozen=True)
class ModelBundle:
    """A fitted pipeline and what scoring needs to use it safely.

    `feature_types` maps each input column to the DuckDB type it had when the model was trained,
    so a mart whose columns have since changed is refused instead of silently mis-scored.
    """

    pipeline: Pipeline
    model_name: str
    model_run_id: str
    feature_types: dict[str, str]
    threshold: float
    trained_at: str
    guard: dict[str, Any] = field(default_factory=dict)
    """Novelty signal, its threshold, the review band and the costs (ml/abstention.py)."""
    fallback: dict[str, Any] | None = None
    """The at-upload model for videos without counts: pipeline, model_name, feature_types,
    guard (None when the champion is the at-upload model)."""
    profile: dict[str, Any] = field(default_factory=dict)
    """The training rows' distributions (bin edges and shares) that drift is measured against."""
    reach: dict[str, float] = field(default_factory=dict)
    """Median views of training videos per account status: a fresh video's expected reach."""


def save_bundle(bundle: ModelBundle, path: Path) -> None:
    """Write the bundle as one skops file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump({"format": BUNDLE_FORMAT, **asdict(bundle)}, path)


def load_bundle(path: Path) -> ModelBundle:
    """Read a bundle, trusting only `TRUSTED_TYPES`; refuse anything else in plain words."""
    if not path.is_file():
        raise ArtifactError(f"no model at {path}: run `python -m ml train` first")
    try:
        content: Any = sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException:
        unknown = sorted(set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES))
        raise ArtifactError(
            f"refusing to load {path}: it holds types outside the trusted list: "
            f"{', '.join(unknown)}"
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        raise ArtifactError(f"{path} is not a skops model file ({error})") from None
    if not isinstance(content, dict) or content.get("format") != BUNDLE_FORMAT:
        raise ArtifactError(
            f"{path} is not a model saved by this version of `python -m ml train`: "
            "run `python -m ml train` again"
        )
    fields = {key: value for key, value in content.items() if key != "format"}
    try:
        bundle = ModelBundle(**fields)
    except TypeError:
        raise ArtifactError(f"{path} lacks some of a model bundle's fields") from None
    pipelines = [bundle.pipeline] + ([bundle.fallback.get("pipeline")] if bundle.fallback else [])
    if not all(isinstance(pipeline, Pipeline) for pipeline in pipelines):
        raise ArtifactError(f"{path} does not hold a scikit-learn pipeline")
    return bundle
