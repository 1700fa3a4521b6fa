"""Vendor a pinned KaTeX release into the plugin's assets: `python scripts/update_katex.py 0.19.1`.

Fetches the npm package with `npm pack` (only this script needs npm), copies the style
sheet, the script, auto-render, the woff2 fonts and the licence into
`plugins/mathcheck_mkdocs/assets/katex/`, and rewrites the style sheet to name only the
woff2 fonts (every browser KaTeX supports reads woff2, so the woff and ttf fallbacks
would never be fetched).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "plugins" / "mathcheck_mkdocs" / "assets" / "katex"
FALLBACK_FONT = re.compile(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)')


def woff2_only(css: str) -> str:
    """The style sheet with each @font-face's woff and ttf fallbacks dropped."""
    rewritten = FALLBACK_FONT.sub("", css)
    if re.search(r"\.(?:woff|ttf)\)", rewritten):
        raise SystemExit("update_katex: the style sheet names fonts in a way this script does not know")
    return rewritten


def main(version: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run(
            ["npm", "pack", f"katex@{version}", "--silent"], cwd=scratch, check=True, capture_output=True, text=True
        ).stdout.split()[-1]
        with tarfile.open(Path(scratch) / packed) as archive:
            archive.extractall(scratch, filter="data")
        package = Path(scratch) / "package"
        shutil.rmtree(TARGET, ignore_errors=True)
        (TARGET / "contrib").mkdir(parents=True)
        (TARGET / "fonts").mkdir()
        dist = package / "dist"
        (TARGET / "katex.min.css").write_text(woff2_only((dist / "katex.min.css").read_text()))
        shutil.copy(dist / "katex.min.js", TARGET / "katex.min.js")
        shutil.copy(dist / "contrib" / "auto-render.min.js", TARGET / "contrib" / "auto-render.min.js")
        for font in sorted((dist / "fonts").glob("*.woff2")):
            shutil.copy(font, TARGET / "fonts" / font.name)
        shutil.copy(package / "LICENSE", TARGET / "LICENSE")
        (TARGET / "VERSION").write_text(f"{version}\n")
    print(f"KaTeX {version} vendored into {TARGET}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python scripts/update_katex.py VERSION")
    main(sys.argv[1])
