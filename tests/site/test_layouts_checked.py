"""Every block on the site has its layout checked: none carries the warning that an
assumption made its claim equal to its transpose, and the log-determinant (which once
assumed `X spd`) fails with its two layouts swapped."""
from __future__ import annotations

import pytest
import yaml

from mathcheck import check_text
from site_pages import site_blocks

# layout -> the claim of the other layout, which must fail in this one
SWAPPED = {"numerator": "inv(X).T", "denominator": "inv(X)"}


def test_no_block_on_the_site_carries_a_warning(verdicts):
    warned = {i: v["warning"] for i, v in verdicts.items() if v.get("warning")}
    assert not warned


@pytest.mark.parametrize("layout", sorted(SWAPPED))
def test_the_log_determinant_fails_with_its_layout_swapped(layout, verdicts, tmp_path):
    block_id = "matrix-log-det"
    assert verdicts[block_id]["status"] == "verified", verdicts[block_id]["message"]
    assert "checked in both layouts" in verdicts[block_id]["message"]
    [block] = [b for b in site_blocks(["jacobian.md"]) if b.id == block_id]
    spec = {**block.spec, "id": f"{block_id}-swapped", "layout": layout, "claim": SWAPPED[layout]}
    text = "```derivation\n" + yaml.safe_dump(spec, sort_keys=False) + "```\n"
    [verdict] = check_text(text, "swapped.md", cache_dir=tmp_path)
    assert verdict.status == "failed", verdict.message
