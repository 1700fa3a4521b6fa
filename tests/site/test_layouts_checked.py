"""Every block on the site has its layout checked: none carries the warning that an
assumption made its claim equal to its transpose, and the log-determinant (which once
assumed `X spd`) fails with its two layouts swapped."""
from __future__ import annotations

import pytest
import yaml

from mathcheck import check_text
from site_pages import site_blocks

SWAPPED = {"matrix-log-det": "inv(X).T", "matrix-log-det-denominator": "inv(X)"}


def test_no_block_on_the_site_carries_a_warning(verdicts):
    warned = {i: v["warning"] for i, v in verdicts.items() if v.get("warning")}
    assert not warned


@pytest.mark.parametrize("block_id", sorted(SWAPPED))
def test_the_log_determinant_fails_with_its_layout_swapped(block_id, verdicts, tmp_path):
    assert verdicts[block_id]["status"] == "verified", verdicts[block_id]["message"]
    [block] = [b for b in site_blocks(["jacobian.md"]) if b.id == block_id]
    spec = {**block.spec, "id": f"{block_id}-swapped", "claim": SWAPPED[block_id]}
    text = "```derivation\n" + yaml.safe_dump(spec, sort_keys=False) + "```\n"
    [verdict] = check_text(text, "swapped.md", cache_dir=tmp_path)
    assert verdict.status == "failed", verdict.message
