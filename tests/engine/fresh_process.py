"""`mathcheck check --format json` of one page in fresh interpreters, one per hash seed: what
a check decides must not depend on the process it runs in."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def checks_in_fresh_processes(folder: Path, page: str, seeds: tuple[str, ...] = ("1", "2")) -> list[list[dict]]:
    """The JSON rows of `mathcheck check PAGE --no-cache` run in `folder`, once per seed (each
    run must find a wrong block: the pages tried hold one)."""
    outputs = []
    for seed in seeds:
        env = {k: v for k, v in os.environ.items() if k != "MATHCHECK_CACHE_DIR"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        env["PYTHONHASHSEED"] = seed
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from mathcheck.cli import main; sys.exit(main())",
             "check", page, "--format", "json", "--no-cache"],
            cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 1, proc.stderr
        outputs.append(json.loads(proc.stdout))
    return outputs
