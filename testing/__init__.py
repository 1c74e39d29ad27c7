"""``gongkai.testing``: the conformance suite every jurisdiction plugin runs.

In a plugin's tests, one line runs it (pytest collects the class)::

    from gongkai.testing import conformance_suite

    TestConformance = conformance_suite("mycounty")

Each check is one test: valid hook records, citations, rule IDs, review chains, rubrics,
calendar adjustments and letter templates. The checks are also plain functions
(:func:`problems`) for use outside pytest.
"""

from gongkai.testing.checks import CHECKS, Conformance, problems
from gongkai.testing.suite import ConformanceSuite, conformance_suite

__all__ = ["CHECKS", "Conformance", "ConformanceSuite", "conformance_suite", "problems"]
