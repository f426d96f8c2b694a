"""Errors the user can fix: the CLI prints them as one line and exits with status 2."""

from __future__ import annotations


class MlError(Exception):
    """An expected problem (missing file, locked warehouse, mismatched model), in plain words."""


class WarehouseError(MlError):
    """The DuckDB file is missing, locked, unreadable, or lacks a relation `ml/` needs."""


class ArtifactError(MlError):
    """A model file is missing, malformed, or holds types outside the trusted list."""


class SchemaMismatchError(MlError):
    """A model's feature schema differs from the mart it is asked to read."""
