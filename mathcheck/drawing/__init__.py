"""Pictures drawn from a verified block at build time, from the very trees that were checked:
its computation graph (`dataflow` -> `layering` -> `graph_picture`), the shapes of f, the
variable and the derivative (`shape_picture`), and a plot of a scalar function and its
derivative (`plot_sampling` -> `plot_picture`); `pictures` draws what a block asks for. Each
is an SVG tree of `elements`, cached with the verdict. Nothing here imports sympy or a
builder, and importing this package imports nothing (a build whose verdicts are all cached
reads pictures through `elements` alone)."""
