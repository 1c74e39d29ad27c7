"""Packaging: the hand-listed packages are complete, and a built wheel works in a fresh venv."""

import json
import subprocess
import tomllib
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
SKIP = {"tests", "benchmarks", "build", "dist", "docs"}


def test_every_package_directory_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"gongkai"}
    for init in ROOT.rglob("__init__.py"):
        rel = init.parent.relative_to(ROOT)
        if rel.parts and (rel.parts[0] in SKIP or rel.parts[0].startswith(".") or "egg-info" in rel.parts[0]):
            continue
        if rel.parts:
            found.add(".".join(("gongkai", *rel.parts)))
    assert found == listed


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
    assert (Path(site) / "gongkai" / "core" / "data" / "calendar" / "README.md").is_file()
