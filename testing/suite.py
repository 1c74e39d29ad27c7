"""The conformance checks as a pytest test class."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.testing import checks


def _assert_none(found: list[str]) -> None:
    if found:
        pytest.fail("\n".join(["", *found]), pytrace=False)


class ConformanceSuite:
    """Subclass with ``plugin = "name"`` (or parametrise the ``plugin_name`` fixture).

    ``extra`` registers an in-process plugin object under ``plugin`` instead of the
    installed entry point (as tests and the scaffold do).
    """

    __test__ = False  # only subclasses are collected
    plugin: str = ""
    extra: tuple[tuple[str, Any], ...] = ()

    @pytest.fixture
    def plugin_name(self) -> str:
        return self.plugin

    @pytest.fixture
    def conformance(self, plugin_name: str) -> checks.Conformance:
        return _loaded(plugin_name, self.extra)

    def test_hooks_return_valid_records(self, conformance):
        _assert_none(checks.check_hooks(conformance))

    def test_every_rule_cites_its_source(self, conformance):
        _assert_none(checks.check_citations(conformance))

    def test_rule_ids_override_or_are_documented(self, conformance):
        _assert_none(checks.check_rule_ids(conformance))

    def test_review_chains_are_well_formed(self, conformance):
        _assert_none(checks.check_review_chains(conformance))

    def test_rubrics_are_consistent(self, conformance):
        _assert_none(checks.check_rubrics(conformance))

    def test_calendar_adjustments_are_valid(self, conformance):
        _assert_none(checks.check_calendar_adjustments(conformance))

    def test_every_outcome_letter_renders(self, conformance):
        _assert_none(checks.check_templates(conformance))


_CACHE: dict[tuple[str, tuple], checks.Conformance] = {}


def _loaded(name: str, extra: tuple[tuple[str, Any], ...]) -> checks.Conformance:
    key = (name, tuple((n, id(obj)) for n, obj in extra))
    if key not in _CACHE:
        _CACHE[key] = checks.Conformance(name, extra)
    return _CACHE[key]


def conformance_suite(name: str, extra: tuple[tuple[str, Any], ...] = ()) -> type[ConformanceSuite]:
    """A test class running every conformance check on plugin ``name``."""
    return type("TestConformance", (ConformanceSuite,), {"__test__": True, "plugin": name, "extra": tuple(extra)})
