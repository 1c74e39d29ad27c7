"""Every rule of the catalog (shared/spec/rules.md) is encoded by the plugin it names.

The test reads the catalog itself, so the catalog and the code cannot drift apart.
"""

import os
import re
from pathlib import Path

import pytest

from gongkai.core.law.plugins import load_registry

ROOT = Path(__file__).resolve().parents[1]
SECTION = re.compile(r"^## .*?(?:\(`plugins/(\w+)`\)|National baseline)")


def repository_folders(root: Path) -> list[Path]:
    """The checkout, and for a `git worktree` the main checkout it belongs to."""
    folders = [root]
    dot_git = root / ".git"
    if dot_git.is_file() and dot_git.read_text(encoding="utf-8").startswith("gitdir:"):
        gitdir = Path(dot_git.read_text(encoding="utf-8").split(":", 1)[1].strip())
        common = gitdir / "commondir"
        if common.is_file():
            folders.append((gitdir / common.read_text(encoding="utf-8").strip()).resolve().parent)
    return folders


def catalog_path(root: Path = ROOT, environ=os.environ) -> Path | None:
    """The catalog beside the repository, or in GONGKAI_SPEC_DIR; no fixed path elsewhere."""
    candidates = [environ.get("GONGKAI_SPEC_DIR", "")] + [folder.parent / "shared" / "spec" for folder in repository_folders(root)]
    for folder in candidates:
        if folder and (Path(folder) / "rules.md").is_file():
            return Path(folder) / "rules.md"
    return None


def test_catalog_is_found_only_beside_the_repository_or_through_the_environment(tmp_path):
    clone = tmp_path / "elsewhere" / "gongkai"
    clone.mkdir(parents=True)
    assert catalog_path(clone, {}) is None  # no absolute fallback
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "rules.md").write_text("# catalog\n", encoding="utf-8")
    assert catalog_path(clone, {"GONGKAI_SPEC_DIR": str(spec)}) == spec / "rules.md"
    beside = tmp_path / "elsewhere" / "shared" / "spec"
    beside.mkdir(parents=True)
    (beside / "rules.md").write_text("# catalog\n", encoding="utf-8")
    assert catalog_path(clone, {}) == beside / "rules.md"


def catalog() -> dict[str, list[tuple[str, str]]]:
    """{"national" | plugin name: [(rule ID, cited source)]} from the catalog's ID tables."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    path = catalog_path()
    if path is None:  # a clone without the spec beside it: the catalog tests are skipped
        return {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            match = SECTION.match(line)
            current = (match.group(1) or "national") if match else None
            continue
        if current is None or not line.startswith("| "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("ID", "category") or set(cells[0]) <= {"-"}:
            continue
        for rule_id in cells[0].split(" / "):
            if re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", rule_id.strip()):
                sections.setdefault(current, []).append((rule_id.strip(), cells[2]))
    return sections


CATALOG = catalog()
JURISDICTIONS = sorted(k for k in CATALOG if k != "national")
MISSING = "shared/spec/rules.md not found beside the repository (set GONGKAI_SPEC_DIR)"
ALL = [(j, rule_id, source) for j in JURISDICTIONS for rule_id, source in CATALOG[j]]


def test_catalog_was_read():
    if not CATALOG:
        pytest.skip(MISSING)
    assert JURISDICTIONS == ["changning", "wuyuan", "xixian", "yanta"]
    counts = {name: len(rows) for name, rows in CATALOG.items()}
    assert counts == {"national": 14, "xixian": 11, "yanta": 10, "wuyuan": 20, "changning": 16}


@pytest.fixture(scope="module")
def registries():
    return {name: load_registry(name) for name in JURISDICTIONS}


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@pytest.mark.parametrize("rule_id", [r for r, _ in CATALOG.get("national", [])])
def test_national_rule_in_force_everywhere(registries, jurisdiction, rule_id):
    entry = registries[jurisdiction].rules.get(rule_id)
    assert entry is not None, f"{rule_id} missing for {jurisdiction}"
    assert str(entry.rule.citation)


DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """49 -> 四十九, as articles are numbered in the texts (1 to 99)."""
    tens, ones = divmod(n, 10)
    return (DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (DIGITS[ones] if ones or not tens else "")


def cited_articles(source: str) -> list[str]:
    """"条例 第49条第2款 (第50条 is …)" -> ["第四十九条第二款"]: the articles the catalog cites."""
    cited = source.split("(")[0]
    return [
        f"第{chinese_number(int(article))}条" + (f"第{chinese_number(int(clause))}款" if clause else "")
        for article, clause in re.findall(r"第(\d+)条(?:第(\d+)款)?", cited)
    ]


@pytest.mark.parametrize(("rule_id", "source"), CATALOG.get("national", []))
def test_national_rule_cites_the_catalogs_article(registries, rule_id, source):
    entries = [r.rules[rule_id] for r in registries.values() if r.rules[rule_id].source == "national"]
    for entry in entries:
        citation = str(entry.rule.citation)
        for article in cited_articles(source):
            assert article in citation, f"{rule_id} cites {citation}, the catalog {source}"


@pytest.mark.parametrize(("jurisdiction", "rule_id", "source"), ALL, ids=[f"{j}:{r}" for j, r, _ in ALL])
def test_local_rule_is_encoded_by_its_plugin(registries, jurisdiction, rule_id, source):
    entry = registries[jurisdiction].rules.get(rule_id)
    assert entry is not None, f"{jurisdiction} does not encode {rule_id} ({source})"
    citation = str(entry.rule.citation)
    assert citation.strip()
    if not source.startswith("条例"):  # a local text: the plugin itself must carry it
        assert entry.source == jurisdiction, f"{rule_id} comes from {entry.source}, not {jurisdiction}"
