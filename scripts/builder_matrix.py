"""The builder x version table: for each builder at the lowest and the newest release that
installs here, a fresh environment with the built wheel, and five questions asked of it.

    python scripts/builder_matrix.py [WORK_DIR]

- build: the small site builds, every block typeset;
- wrong formula: a planted wrong block fails the build, naming its file and line, with no traceback;
- serve: the live preview shows the wrong block in red and keeps serving;
- strict: a strict build (MkDocs' `--strict` with anchor validation, Sphinx's `-W`) passes
  with links to blocks across pages;
- offline math: the built pages load KaTeX from the site itself and name no other host.

Prints a Markdown table (one row per environment) and leaves the environments in WORK_DIR.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MKDOCS_SITE = REPO / "tests" / "packaging" / "fixtures" / "site"
WRONG_PAGE = REPO / "tests" / "packaging" / "fixtures" / "wrong.md"
SPHINX_SITE = REPO / "tests" / "sphinx" / "fixtures" / "site"
LINK = "\nSee [the square](rules.md#square).\n"
# a script, style sheet, font or image fetched from another host (a link to one is no request)
OTHER_HOST = re.compile(r"""<(?:script|img|link(?![^>]*rel=["']?(?:canonical|alternate)))[^>]*"""
                        r"""(?:src|href)=["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)""")


@dataclass(frozen=True)
class Setup:
    """One row: a builder and the releases installed beside the wheel."""

    builder: str  # mkdocs, properdocs, zensical or sphinx
    label: str
    requirements: tuple[str, ...]


def floors(extra: str) -> list[str]:
    """`name==floor` for each dependency of an extra, from pyproject.toml's lower bounds."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [re.sub(r">=([0-9.]+),<.*", r"==\1", requirement)
            for requirement in project["optional-dependencies"][extra]]


SETUPS = (
    Setup("mkdocs", "lowest declared", tuple(floors("mkdocs"))),
    Setup("mkdocs", "newest", ("mkdocs", "mkdocs-material", "pymdown-extensions")),
    Setup("properdocs", "1.6.7 (newest)", ("properdocs==1.6.7",)),
    Setup("zensical", "0.0.73 (tested)", ("zensical==0.0.73",)),
    Setup("zensical", "newest", ("zensical",)),
    Setup("sphinx", "lowest declared", tuple(floors("sphinx"))),
    Setup("sphinx", "newest", ("sphinx", "myst-parser")),
)


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False, timeout=timeout)


def build_wheel(work: Path) -> Path:
    source = work / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "tests", "*.egg-info", "__pycache__", ".cache", "build"))
    built = run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work / "dist"),
                 str(source)], work, dict(os.environ))
    assert built.returncode == 0, built.stdout
    (wheel,) = (work / "dist").glob("mathcheck-*.whl")
    return wheel


def environment(work: Path, wheel: Path, setup: Setup, index: int) -> tuple[Path, dict[str, str], str]:
    """A fresh venv with the wheel and the setup's releases; its bin folder, env and versions."""
    venv = work / f"venv-{index}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    extra = "sphinx" if setup.builder == "sphinx" else "mkdocs"
    pip = run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[{extra}]",
               *setup.requirements], work, dict(os.environ))
    assert pip.returncode == 0, pip.stdout
    names = {"mkdocs": ["mkdocs", "mkdocs-material"], "properdocs": ["properdocs", "mkdocs-material"],
             "zensical": ["zensical"], "sphinx": ["sphinx", "myst-parser"]}[setup.builder]
    shown = run([str(venv / "bin" / "python"), "-m", "pip", "show", *names], work, dict(os.environ)).stdout
    versions = " ".join(f"{name} {version}" for name, version in
                        zip(re.findall(r"^Name: (.+)$", shown, re.M), re.findall(r"^Version: (.+)$", shown, re.M)))
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update({"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1",
                "MATHCHECK_CACHE_DIR": str(work / f"cache-{index}")})
    return venv / "bin", env, versions


def offline(html_dir: Path, katex: str) -> bool:
    pages = list(html_dir.rglob("*.html"))
    return bool(pages) and any(html_dir.rglob(katex)) and not any(OTHER_HOST.search(p.read_text()) for p in pages)


def served_in_red(command: list[str], cwd: Path, env: dict[str, str], url_path: str) -> bool:
    """The live preview answers with the wrong block in red, and is still running."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*command, "-a", f"127.0.0.1:{port}"], cwd=cwd, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{url_path}", timeout=5) as response:
                    page = response.read().decode()
                return 'mathcheck-bad" id="cube-wrong"' in page and server.poll() is None
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        return False
    finally:
        server.terminate()
        server.wait(timeout=30)


def ask_mkdocs_like(bin_dir: Path, env: dict[str, str], setup: Setup, work: Path) -> dict[str, bool]:
    tool = str(bin_dir / setup.builder)
    site = work / f"site-{setup.builder}-{setup.label.split()[0]}"
    shutil.copytree(MKDOCS_SITE, site)
    if setup.builder == "zensical":  # Zensical runs no plugin: the documented copy step
        copied = run([str(bin_dir / "python"), "-m", "mathcheck_mkdocs.site_assets", "docs"], site, env)
        config = site / "mkdocs.yml"
        config.write_text(config.read_text() + copied.stdout)  # the extra_css and extra_javascript to list
    good = run([tool, "build"], site, env)
    html = site / "site"
    answers = {"build": good.returncode == 0 and '<div class="mathcheck-block" id="square">' in
               (html / "rules" / "index.html").read_text(errors="replace") if good.returncode == 0 else False}
    answers["offline math"] = good.returncode == 0 and offline(html, "katex.min.js")
    index = site / "docs" / "index.md"
    index.write_text(index.read_text() + LINK)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text() + "validation:\n  anchors: warn\n")
    strict = run([tool, "build", "--strict"], site, env)
    answers["strict"] = strict.returncode == 0
    shutil.copy(WRONG_PAGE, site / "docs" / "wrong.md")
    wrong = run([tool, "build"], site, env)
    answers["wrong formula"] = (wrong.returncode != 0 and "wrong.md:5" in wrong.stdout
                                and "cube-wrong" in wrong.stdout and "Traceback" not in wrong.stdout)
    answers["serve"] = served_in_red([tool, "serve"], site, env, "wrong/")
    return answers


def ask_sphinx(bin_dir: Path, env: dict[str, str], setup: Setup, work: Path) -> dict[str, bool]:
    site = work / f"sphinx-{setup.label.split()[0]}"
    shutil.copytree(SPHINX_SITE, site)
    build = [str(bin_dir / "sphinx-build"), "-b", "html", ".", "_build/html"]
    good = run(build, site, env)
    html = site / "_build" / "html"
    answers = {"build": good.returncode == 0 and 'class="mathcheck-block"' in (html / "index.html").read_text()
               if good.returncode == 0 else False}
    answers["offline math"] = good.returncode == 0 and offline(html, "katex.min.js")
    answers["strict"] = run([*build, "-W", "-E"], site, env).returncode == 0
    rules = site / "guide" / "rules.md"
    rules.write_text(re.sub(r"(claim: )(.+)", r"\1 2 * (\2)", rules.read_text(), count=1))
    wrong = run([*build, "-E"], site, env)
    answers["wrong formula"] = (wrong.returncode != 0 and "guide/rules.md:" in wrong.stdout
                                and "failed" in wrong.stdout and "Traceback" not in wrong.stdout)
    return answers


def main() -> None:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="builder-matrix-"))
    work.mkdir(parents=True, exist_ok=True)
    wheel = build_wheel(work)
    questions = ("build", "wrong formula", "serve", "strict", "offline math")
    print("| builder | releases | " + " | ".join(questions) + " |")
    print("| --- | --- |" + " --- |" * len(questions))
    for index, setup in enumerate(SETUPS):
        bin_dir, env, versions = environment(work, wheel, setup, index)
        ask = ask_sphinx if setup.builder == "sphinx" else ask_mkdocs_like
        answers = ask(bin_dir, env, setup, work)
        cells = [("yes" if answers[q] else "**no**") if q in answers else "n/a" for q in questions]
        print(f"| {setup.builder} ({setup.label}) | {versions} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
