"""What a hostile page under 2 KB costs the parent process, before any worker.

For each page (one per kind of attack: a chain of `let`s read from a condition, YAML anchors
and aliases in a table and in a refused block's title, nesting after a tagged key and in a
table's title, repeated tags, long unknown names, a fence near ours with odd spaces, a form
feed before a closing fence, control characters, an id with a trailing newline) and a benign
page for comparison, `mathcheck check --no-cache` and `mkdocs build` (a one-page site, the
default theme, the plugin) each run in a fresh process that first imports what it needs, then
reports the wall time and its own peak RSS (workers excluded: every hostile page is refused
in the parent) above that baseline. A run that takes longer than --timeout is reported as such.

Usage: python benchmarks/bench_hostile.py [--timeout 60]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LIMIT_SECONDS, LIMIT_MB = 1.0, 200.0


def fence(body: str, info: str = "derivation") -> str:
    return f"```{info}\n{body}\n```\n"


def let_chain(condition: str) -> str:
    lets = "\n".join(["  a0: x"] + [f"  a{i}: a{i - 1} + a{i - 1}" for i in range(1, 40)])
    claim = "[{if: a39 > 0, then: 1}, {if: a39 <= 0, then: nope}]" if condition == "if" else "1"
    assume = "assume: [a39 > 0, x > nope]\n" if condition == "assume" else ""
    return fence(f"id: chain\nvars: {{x: scalar}}\nlet:\n{lets}\nf: x\nwrt: x\n{assume}claim: {claim}")


BOMB = "\n".join(["  - &a0 [t, t, t, t, t, t, t, t, t]"] + [
    f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)])
BENIGN = fence("id: square\nvars: {x: scalar}\nf: x**2\nwrt: x\nclaim: 2*x")
REFUSED = "id: r{k}\nvars: {{x: scalar}}\nf: x\nwrt: x\ntags: [t]"  # no claim: refused, tagged
PAGES = {
    "benign (one block, checked by a worker)": BENIGN,
    "let chain read from `assume`": let_chain("assume"),
    "let chain read from a case's `if`": let_chain("if"),
    "anchors and aliases in a table's title": fence("title:\n" + BOMB + "\ntags: [t]", "derivation-table"),
    "anchors and aliases in a refused block's title": fence("id: t\ntitle:\n" + BOMB),
    "nesting after a tagged first key": fence("!!str id: " + "[" * 900 + "]" * 900),
    "nesting in a table's title": fence("title: " + "[" * 800 + "]" * 800 + "\ntags: [t]", "derivation-table"),
    "repeated tags": "".join(fence(REFUSED.format(k=k)) for k in range(8))
                     + fence("tags: [" + ", ".join(["t"] * 350) + "]", "derivation-table"),
    "long unknown names": fence(f"ids: [{'x' * 900}, {'y' * 900}]", "derivation-table"),
    "no-break space before `derivation`": "```\u00a0derivation\nid: a\nvars: {x: scalar}\nf: x\nwrt: x\nclaim: 2\n```\n",
    "form feed before a closing fence": "```derivation\nid: a\nvars: {x: scalar}\nf: x\nwrt: x\nclaim: 2\n\f```\n",
    "control characters": fence('id: c\n"\\e[2K\\r\\e[32mverified\\e[0m": 1\nvars: {x: scalar}\nf: x\nwrt: x\nclaim: 1'),
    "id with a trailing newline": fence('id: "a\\n"\nvars: {x: scalar}\nf: x\nwrt: x\nclaim: 2'),
}

# Each run: import, take the baseline, run, report (wall seconds, peak RSS above the baseline).
RUNNER = """
import io, json, resource, sys, time, contextlib
kind, path = sys.argv[1], sys.argv[2]
if kind == "check":
    import mathcheck.language.claims, mathcheck.cli
    run = lambda: mathcheck.cli.main(["check", "--no-cache", path])
else:
    import mkdocs.commands.build, mkdocs.config, mathcheck_mkdocs.plugin, mathcheck.language.claims
    def run():
        config = mkdocs.config.load_config(path)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs.commands.build.build(config)
            return 0
        except Exception:
            return 1
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    status = run()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "baseline_mb": baseline / 1024, "above_mb": (peak - baseline) / 1024,
                  "status": status}))
"""


def measure(kind: str, path: Path, cwd: Path, timeout: float) -> dict | None:
    try:
        done = subprocess.run([sys.executable, "-c", RUNNER, kind, str(path)], cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, env={
                                  "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "MATHCHECK_CACHE_DIR": str(cwd / "cache"),
                                  **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}})
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"{kind} {path}: {done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    print(f"{'page':50} {'bytes':>5}  {'check s':>8} {'MB':>6}  {'build s':>8} {'MB':>6}  within limits")
    worst, baselines = True, {}
    with tempfile.TemporaryDirectory() as scratch:
        for k, (name, text) in enumerate(PAGES.items()):
            site = Path(scratch, f"site{k}")
            (site / "docs").mkdir(parents=True)
            (site / "docs" / "index.md").write_text(text)
            (site / "mkdocs.yml").write_text("site_name: Hostile\nplugins: [mathcheck]\n")
            check = measure("check", site / "docs" / "index.md", site, args.timeout)
            build = measure("build", site / "mkdocs.yml", site, args.timeout)
            cells = []
            for kind, result in (("check", check), ("build", build)):
                if result is not None:
                    baselines.setdefault(kind, result["baseline_mb"])
                cells.append(f"{'>' + str(args.timeout):>8} {'?':>6}" if result is None else
                             f"{result['seconds']:8.3f} {result['above_mb']:6.1f}")
            hostile = not name.startswith("benign")
            fine = all(r is not None and r["seconds"] < LIMIT_SECONDS and r["above_mb"] < LIMIT_MB
                       for r in (check, build))
            worst = worst and (fine or not hostile)
            verdict = ("yes" if fine else "NO") if hostile else "-"
            print(f"{name:50} {len(text.encode()):5}  {cells[0]}  {cells[1]}  {verdict}")
            assert len(text.encode()) < 2048, name
    print(f"(MB: peak RSS above the interpreter and its imports, which take {baselines.get('check', 0):.0f} MB "
          f"for `mathcheck check` and {baselines.get('build', 0):.0f} MB for `mkdocs build`)")
    print("every hostile page within 1 s and 200 MB" if worst else "SOME HOSTILE PAGE IS OVER THE LIMITS")


if __name__ == "__main__":
    main()
