"""The warnings are recomputed after each succeeded ZIS import, and a failing computation never
fails the import."""

from __future__ import annotations

from unittest import mock

import pytest

from portal.insights.warnings import Outcome
from tests.factories.zis import copy_batch
from zis.importer import import_batch
from zis.models import SyncRun

pytestmark = pytest.mark.django_db


def test_an_import_recomputes_the_warnings(tmp_path):
    outcome = Outcome(opened=0, closed=0, still_open=0, emails=0)
    with mock.patch("portal.insights.warnings.compute_warnings", return_value=outcome) as compute:
        run = import_batch(copy_batch("batch_full_v1", tmp_path), move=False)
    assert run.status == SyncRun.Status.SUCCEEDED
    compute.assert_called_once()


def test_a_failing_computation_leaves_the_import_succeeded(tmp_path):
    with mock.patch("portal.insights.warnings.compute_warnings", side_effect=RuntimeError("x")):
        run = import_batch(copy_batch("batch_full_v1", tmp_path), move=False)
    assert run.status == SyncRun.Status.SUCCEEDED
