"""Packaging: the hand-listed packages are complete, and a built wheel works in a fresh venv."""

import json
import subprocess
import tomllib
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
SKIP = {"tests", "benchmarks", "build", "dist", "docs"}


def _listed() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])


def _shipped_folders():
    """Folders of the `gongkai` package (relative parts), skipping the repository's own tooling."""
    for folder in sorted(p for p in ROOT.rglob("*") if p.is_dir()):
        rel = folder.relative_to(ROOT)
        if rel.parts[0] in SKIP or any(part.startswith(".") or part == "__pycache__" or "egg-info" in part for part in rel.parts):
            continue
        yield folder, rel


def test_every_package_directory_is_listed():
    listed = _listed()
    found = {"gongkai"} | {".".join(("gongkai", *rel.parts)) for folder, rel in _shipped_folders() if (folder / "__init__.py").is_file()}
    assert found <= listed
    assert all((ROOT.joinpath(*name.split(".")[1:])).is_dir() for name in listed)


def test_data_folders_are_declared_so_setuptools_does_not_warn():
    # setuptools warns "Package would be ignored" for every importable-named folder holding
    # files that `packages` omits; .ci/run must print no such warnings.
    listed = _listed()
    holding_files = {
        ".".join(("gongkai", *rel.parts))
        for folder, rel in _shipped_folders()
        if all(part.isidentifier() for part in rel.parts) and any(p.is_file() for p in folder.iterdir())
    }
    assert holding_files - listed == set()


def test_wheel_installs_into_a_fresh_venv(wheel_venv, tmp_path):
    env_dir, wheel = wheel_venv
    gongkai = env_dir / "bin" / "gongkai"
    out = subprocess.run([str(gongkai), "plugins", "--json"], capture_output=True, text=True, check=True, cwd=tmp_path)
    rows = {r["name"]: r for r in json.loads(out.stdout)}  # the e2e test may add plugins to this venv
    assert {"changning", "wuyuan", "xixian", "yanta"} <= set(rows)
    assert rows["xixian"]["display_name"] == "西咸新区"
    out = subprocess.run(
        [str(gongkai), "-j", "xixian", "deadline", "request.reply", "--start", "2026-09-24", "--json"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    assert json.loads(out.stdout)["due"] == "2026-10-29"
    # installed names are namespaced: no bare top-level `core`, `plugins` or `hookspecs`
    site = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    top = {p.name for p in Path(site).iterdir()}
    assert "gongkai" in top
    assert not top & {"core", "plugins", "hookspecs", "tests", "benchmarks"}
    assert (Path(site) / "gongkai" / "core" / "time" / "data" / "calendar" / "README.md").is_file()
