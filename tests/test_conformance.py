"""The four built-in jurisdictions pass the conformance suite any plugin runs."""

import pytest

from gongkai.testing import ConformanceSuite


@pytest.mark.parametrize("plugin_name", ["xixian", "yanta", "changning", "wuyuan"])
class TestBuiltinConformance(ConformanceSuite):
    __test__ = True
