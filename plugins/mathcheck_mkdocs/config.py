"""Options of the `mathcheck` plugin; every one has a default, so `plugins: [mathcheck]` is enough."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from mathcheck import DEFAULT_TIME_LIMIT


class MathcheckConfig(Config):
    """What a site may set under `plugins: - mathcheck:` in mkdocs.yml."""

    cache_dir = c.Optional(c.Type(str))
    """Where verdicts are kept between builds, relative to mkdocs.yml.
    Default: `$MATHCHECK_CACHE_DIR`, else `.cache/plugin/mathcheck`."""

    jobs = c.Type(int, default=0)
    """Processes that check blocks in parallel; 0 means one per CPU core."""

    time_limit = c.Type((int, float), default=DEFAULT_TIME_LIMIT)
    """Seconds one block may take before it is an error (the engine's default)."""

    layout = c.Choice(("numerator", "denominator"), default="numerator")
    """Layout of a block that does not name its own."""

    serve_on_failure = c.Choice(("show", "fail"), default="show")
    """What `mkdocs serve` does with a bad block: `show` it in red in the page and keep
    serving, or `fail` the rebuild. `mkdocs build` always fails."""

    katex_dir = c.Optional(c.Type(str))
    """KaTeX, served with the site so that math renders offline. Unset: the KaTeX that comes
    with mathcheck. A path (relative to mkdocs.yml): a `dist` folder of your own KaTeX.
    "": no KaTeX, for a site that loads a math renderer itself."""

    verified_page = c.Type(str, default="")
    """A page of the site, with an optional anchor (`index.md#what-verified-means`), that
    explains what "verified" means: each block's evidence links to it. Default: no link."""

    search_synonyms = c.Type((dict, str), default={})
    """What readers type for the terms the site uses, added unseen to the search entries that
    use them: a map (`normalisation: [normalization, batch norm]`), or the name of a YAML
    file holding one, relative to mkdocs.yml. A term matches the start of a word, any case."""

    search_spellings = c.Type(bool, default=True)
    """Whether a word spelt -ise or -isation is found by its -ize, -ization spelling too, and
    the other way round."""
