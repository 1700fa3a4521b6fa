"""Many blocks at once: the `runner` sends blocks not in the `cache` to long-lived `worker`
processes, each block within its own limit of CPU time."""
