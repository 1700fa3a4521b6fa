"""The files a site serves for mathcheck (its style sheet and script, and KaTeX), and a
command that copies them into a docs folder, for a builder that does not run the plugin:

    python -m mathcheck_mkdocs.site_assets docs

copies them under `docs/assets/` and prints the `extra_css` and `extra_javascript` entries
to add to `mkdocs.yml` (Zensical serves them from there; the plugin, under MkDocs and
ProperDocs, then serves the same files once). Under Zensical the extension checks that the
configuration lists them and that they are in the docs folder (`unserved`), and stops the
build saying what to run and add when they are not.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
KATEX = ASSETS / "katex"
KATEX_STYLE = "assets/katex/katex.min.css"
KATEX_SCRIPTS = ("assets/katex/katex.min.js", "assets/katex/contrib/auto-render.min.js")
OWN_STYLE = "assets/mathcheck/mathcheck.css"
OWN_SCRIPT = "assets/mathcheck/mathcheck.js"


def served(katex: Path | None) -> list[tuple[str, Path]]:
    """(path in the site, file on disk) of every file served: ours, and KaTeX's from `katex`
    (a KaTeX `dist` folder; None for none)."""
    files = [(OWN_STYLE, ASSETS / "mathcheck.css"), (OWN_SCRIPT, ASSETS / "mathcheck.js")]
    if katex is None:
        return files
    names = ["katex.min.css", "katex.min.js", "contrib/auto-render.min.js"]
    names += [f"fonts/{font.name}" for font in sorted((katex / "fonts").iterdir())]
    return files + [(f"assets/katex/{name}", katex / name) for name in names]


def style_sheets(katex: bool) -> list[str]:
    """The style sheets, in the order a page links them (KaTeX's first, so ours may override it)."""
    return [KATEX_STYLE, OWN_STYLE] if katex else [OWN_STYLE]


def scripts(katex: bool) -> list[str]:
    """The scripts, in the order a page loads them (ours typesets with KaTeX's)."""
    return [*KATEX_SCRIPTS, OWN_SCRIPT] if katex else [OWN_SCRIPT]


def unserved(config: dict, katex: bool) -> str | None:
    """Under Zensical (`config` its configuration): None when every file a page needs is
    listed in `extra_css` or `extra_javascript` and found in the docs folder; else what to
    run and add. `katex` False: the site brings its own math renderer, only ours is needed."""
    root = Path(config.get("root_dir") or ".")
    docs = root / str(config.get("docs_dir") or "docs")
    listed = [entry for entry in config.get("extra_css") or [] if isinstance(entry, str)]
    listed += [entry.get("path", "") if isinstance(entry, dict) else entry
               for entry in config.get("extra_javascript") or []]
    listed = [entry for entry in listed if isinstance(entry, str)]
    needed = style_sheets(katex) + scripts(katex)
    missing = [path for path in needed
               if path not in listed or not (docs / path).is_file()]
    if not missing:
        return None
    toml = (root / "zensical.toml").is_file()
    where = Path(os.path.relpath(root / ("zensical.toml" if toml else "mkdocs.yml")))
    if toml:
        entries = (f"extra_css = {style_sheets(katex)!r}\nextra_javascript = {scripts(katex)!r}\n"
                   .replace("'", '"'))
    else:
        entries = ("extra_css:\n" + "".join(f"  - {path}\n" for path in style_sheets(katex))
                   + "extra_javascript:\n" + "".join(f"  - {path}\n" for path in scripts(katex)))
    return (f"{where}: Zensical does not serve what typesets derivation blocks ({', '.join(missing)} "
            "not listed or not in the docs folder), so its pages would show raw TeX. Run\n"
            f"  python -m mathcheck_mkdocs.site_assets {os.path.relpath(docs, Path.cwd())}\n"
            f"and add to {where.name}{' under [project]' if toml else ''}:\n{entries}"
            + ("(a site with a math renderer of its own gives the extension `katex: false`)"
               if katex else ""))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m mathcheck_mkdocs.site_assets DOCS_DIR", file=sys.stderr)
        return 2
    docs = Path(argv[0])
    for path, source in served(KATEX):
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, docs / path)
    print("extra_css:\n" + "".join(f"  - {path}\n" for path in style_sheets(True))
          + "extra_javascript:\n" + "".join(f"  - {path}\n" for path in scripts(True)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
