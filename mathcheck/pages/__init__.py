"""Page text -> blocks: the fences of a Markdown page (`fences`), each block's YAML read
within limits (`yaml_limits`, `blocks`), the `derivation-table`s (`tables`), and the
"did you mean" hints their errors give (`suggest`). Nothing here parses an expression."""
