"""Every hook is documented in docs/plugins.md and has a test (as datasette checks its own)."""

import re
from pathlib import Path

import pytest

from gongkai import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("gongkai_"))
DOCS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
TESTS = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py") if p.name != Path(__file__).name}


def test_the_hooks_are_found():
    assert len(HOOKS) >= 9 and "gongkai_deadline_rules" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook):
    assert re.search(rf"^### {hook}\(\)$", DOCS, re.M), f"docs/plugins.md has no section “### {hook}()”"


def test_the_docs_document_no_hook_that_does_not_exist():
    documented = re.findall(r"^### (gongkai_\w+)\(\)$", DOCS, re.M)
    assert sorted(documented) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    assert any(f"def test_hook_{hook}(" in text for text in TESTS.values()), f"no test named test_hook_{hook}"
