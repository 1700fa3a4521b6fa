"""The block language: expressions parsed by our own parser (`syntax`) into typed trees
(`expressions`, sized by `shapes`), a block read as a claim (`claims`), and the way back to
the article's notation (`latex`, giving a `statement`)."""
