"""A small layered layout of a directed acyclic graph (Sugiyama's scheme, kept short):
layers by longest path, a dummy node wherever an edge skips a layer, crossings reduced by
barycentre sweeps, and each layer placed as near its neighbours as its order allows (an
isotonic regression, solved exactly by pooling adjacent violators). `down` lays the layers
top to bottom, `right` left to right."""
from __future__ import annotations

from dataclasses import dataclass

SWEEPS = 6


@dataclass(frozen=True)
class Box:
    """A placed node: its centre and size."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    routes: dict[tuple[str, str], list[tuple[float, float]]]  # each edge: its points, first to last
    width: float
    height: float


def layered(order: list[str], sizes: dict[str, tuple[float, float]], edges: list[tuple[str, str]],
            direction: str = "down", gap: float = 16.0, layer_gap: float = 34.0,
            margin: float = 4.0) -> Layout:
    """Place the nodes (`order` topological: every edge goes to a later node) and route the
    edges; `sizes` are (width, height), `gap` the space between neighbours in a layer,
    `layer_gap` between layers."""
    down = direction == "down"
    along = {n: sizes[n][1] if down else sizes[n][0] for n in order}
    across = {n: sizes[n][0] if down else sizes[n][1] for n in order}
    layer = _layers(order, edges)
    chains, layers = _with_dummies(order, edges, layer)
    for dummy in (n for n in (x for row in layers for x in row) if n not in across):
        across[dummy], along[dummy] = 0.0, 0.0
    preds: dict[str, list[str]] = {n: [] for row in layers for n in row}
    succs: dict[str, list[str]] = {n: [] for row in layers for n in row}
    for chain in chains.values():
        for a, b in zip(chain, chain[1:]):
            succs[a].append(b)
            preds[b].append(a)
    _reduce_crossings(layers, preds, succs)
    place = _place_across(layers, preds, succs, across, gap)
    depth, bands = 0.0, []
    for row in layers:
        thickness = max(along[n] for n in row) if row else 0.0
        bands.append((depth, thickness))
        depth += thickness + layer_gap
    low = min(place[n] - across[n] / 2 for n in place)
    high = max(place[n] + across[n] / 2 for n in place)
    shift = margin - low
    centre: dict[str, tuple[float, float]] = {}
    for k, row in enumerate(layers):
        top, thickness = bands[k]
        for n in row:
            a, b = place[n] + shift, margin + top + thickness / 2
            centre[n] = (a, b) if down else (b, a)
    boxes = {n: Box(*centre[n], *sizes[n]) for n in order}
    routes = _routes(chains, boxes, centre, down)
    extent_across = high - low + 2 * margin
    extent_along = depth - layer_gap + 2 * margin
    width, height = (extent_across, extent_along) if down else (extent_along, extent_across)
    return Layout(boxes, routes, width, height)


def _layers(order: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the sources; then each source moved down to just before the first
    node that uses it (an input used late does not stretch an edge across the picture)."""
    preds = {n: [a for a, b in edges if b == n] for n in order}
    layer: dict[str, int] = {}
    for n in order:
        layer[n] = 1 + max((layer[p] for p in preds[n]), default=-1)
    for n in order:
        if not preds[n]:
            later = [layer[b] for a, b in edges if a == n]
            layer[n] = max(0, min(later) - 1) if later else 0
    return layer


def _with_dummies(order, edges, layer):
    """Each edge as a chain of nodes, one per layer it passes (dummies `~a~b~k` between), and
    the layers' nodes in first-seen order."""
    layers: list[list[str]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    for n in order:
        layers[layer[n]].append(n)
    chains = {}
    for a, b in edges:
        chain = [a] + [f"~{a}~{b}~{k}" for k in range(layer[a] + 1, layer[b])] + [b]
        for k, dummy in enumerate(chain[1:-1], layer[a] + 1):
            layers[k].append(dummy)
        chains[(a, b)] = chain
    return chains, layers


def _reduce_crossings(layers, preds, succs) -> None:
    """Barycentre sweeps, down then up: each node moves to the mean position of its
    neighbours in the layer just placed (ties keep their order, so the result is stable)."""
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        for k in (range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)):
            other = layers[k - 1] if downward else layers[k + 1]
            links = preds if downward else succs
            index = {n: i for i, n in enumerate(other)}
            keyed = []
            for i, n in enumerate(layers[k]):
                near = [index[m] for m in links[n] if m in index]
                keyed.append((sum(near) / len(near) if near else i, i, n))
            layers[k][:] = [n for _, _, n in sorted(keyed)]


def _place_across(layers, preds, succs, size, gap) -> dict[str, float]:
    """Positions across the layers: packed at first, then sweeps that pull each node to the
    mean of its placed neighbours while keeping the layer's order and spacing."""
    place: dict[str, float] = {}
    for row in layers:
        at = 0.0
        for n in row:
            place[n] = at + size[n] / 2
            at += size[n] + gap
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        links = preds if downward else succs
        for row in (layers[1:] if downward else layers[-2::-1]):
            wanted = [sum(place[m] for m in links[n]) / len(links[n]) if links[n] else place[n]
                      for n in row]
            seps = [0.0] + [(size[a] + size[b]) / 2 + gap for a, b in zip(row, row[1:])]
            offsets = [sum(seps[:i + 1]) for i in range(len(row))]
            fitted = _isotonic([w - o for w, o in zip(wanted, offsets)])
            for n, q, o in zip(row, fitted, offsets):
                place[n] = q + o
    return place


def _isotonic(values: list[float]) -> list[float]:
    """The non-decreasing sequence nearest `values` in squared distance (pool adjacent
    violators)."""
    pools: list[list[float]] = []   # [mean, count]
    for v in values:
        pools.append([v, 1.0])
        while len(pools) > 1 and pools[-2][0] > pools[-1][0]:
            mean, count = pools.pop()
            pools[-1] = [(pools[-1][0] * pools[-1][1] + mean * count) / (pools[-1][1] + count),
                         pools[-1][1] + count]
    return [mean for mean, count in pools for _ in range(int(count))]


def _routes(chains, boxes, centre, down):
    """Each edge from a port on its source's far side to a port on its target's near side,
    through its dummies; ports spread along the side in the order of what they lead to."""
    outs: dict[str, list[tuple[float, tuple[str, str]]]] = {}
    ins: dict[str, list[tuple[float, tuple[str, str]]]] = {}
    pick = (lambda p: p[0]) if down else (lambda p: p[1])
    for edge, chain in chains.items():
        outs.setdefault(chain[0], []).append((pick(centre[chain[1]]), edge))
        ins.setdefault(chain[-1], []).append((pick(centre[chain[-2]]), edge))
    ports: dict[tuple[str, tuple[str, str]], tuple[float, float]] = {}
    for side, table in (("out", outs), ("in", ins)):
        for n, listed in table.items():
            box = boxes[n]
            extent = (box.width if down else box.height) * 0.5
            for k, (_, edge) in enumerate(sorted(listed)):
                offset = (k - (len(listed) - 1) / 2) * min(12.0, extent / max(1, len(listed)))
                if down:
                    ports[(side, edge)] = (box.x + offset, box.y + (box.height / 2 if side == "out" else -box.height / 2))
                else:
                    ports[(side, edge)] = (box.x + (box.width / 2 if side == "out" else -box.width / 2), box.y + offset)
    return {edge: [ports[("out", edge)], *(centre[d] for d in chain[1:-1]), ports[("in", edge)]]
            for edge, chain in chains.items()}
