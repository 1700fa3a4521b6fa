"""The block format's reference, shipped with the package (`reference.txt`) and printed by
`mathcheck explain [TOPIC]`: one section per topic, each headed `== TOPIC ==`."""
from __future__ import annotations

import re
from importlib.resources import files

_HEADING = re.compile(r"^== ([a-z]+) ==$", re.MULTILINE)


def sections() -> dict[str, str]:
    """Each topic's text, in the file's order."""
    text = files(__package__).joinpath("reference.txt").read_text(encoding="utf-8")
    parts = _HEADING.split(text)[1:]
    return {topic: body.strip("\n") for topic, body in zip(parts[::2], parts[1::2])}


def explain(topic: str | None) -> str | None:
    """The whole reference, or one topic's section; None for a topic there is not."""
    found = sections()
    if topic is None:
        return "\n\n".join(f"{name.upper()}\n{body}" for name, body in found.items())
    return found.get(topic.lower())
