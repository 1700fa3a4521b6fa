"""What a block's or a table's YAML may not hold, found in one pass over its events before
anything is built from it: an anchor or alias (a few lines could stand for an enormous tree)
or nesting deeper than any block needs (which would reach Python's recursion limit)."""
from __future__ import annotations

import yaml

MAX_DEPTH = 32  # lists and mappings inside one another; a block needs three or four
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class YamlLimitError(Exception):
    """YAML that is refused before it is read: `line` and `column` are 0-based in its text."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line, self.column = line, column


def check_limits(text: str) -> None:
    """Raise YamlLimitError at the first anchor, alias or nesting past MAX_DEPTH of `text`
    (and yaml.YAMLError where it is not YAML); linear in the text, no recursion."""
    loader = _LOADER(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise YamlLimitError("YAML anchors and aliases (`&name`, `*name`) are not allowed: "
                                     "write each value out where it is used", mark.line, mark.column)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlLimitError(f"YAML nested more than {MAX_DEPTH} lists or mappings deep: "
                                         "write a flatter value", mark.line, mark.column)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
