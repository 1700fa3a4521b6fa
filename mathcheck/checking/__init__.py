"""Claims -> verdicts: the sizes and points a claim is tried at (`sampling`, `partition`),
evidence from `numeric`, `symbolic` and `exact` (one evaluator, `evaluation`, with
`random_functions` standing in for abstract functions), the other layout's statement
(`layouts`), the decision (`decide`) and what it yields (`verdicts`)."""
