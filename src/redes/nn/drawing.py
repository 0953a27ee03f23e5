"""``keras.utils.plot_model``: a picture of a model's graph.

Keras draws it with Graphviz; redes draws the same picture with matplotlib, so it needs
nothing more to install. Each call of a layer is a box, and an arrow goes from each box to
the boxes that read its output. The boxes stand in rows by depth: a box sits one row below
the deepest box it reads from, so the data flows from the inputs at the top (or the left,
with ``rankdir="LR"``) to the outputs.
"""

from __future__ import annotations

import os

from redes._base.files import atomic_path

from ..i18n import _
from .models.summary import kind_of

_FORMATS = (".png", ".svg", ".pdf", ".jpg", ".jpeg")


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False):
    """Draw ``model``'s graph and save it to ``to_file``, with Keras' arguments.

    Args:
        model: a functional or ``Sequential`` model (a subclassed model has a graph only
            while its ``call`` runs: draw ``model.graph(x)`` in text instead).
        to_file: the image file, ``.png``, ``.svg``, ``.pdf`` or ``.jpg``. Defaults to
            ``"model.png"``.
        show_shapes: write each layer's input and output shapes. Defaults to ``False``.
        show_dtype: write each layer's dtype. Defaults to ``False``.
        show_layer_names: write each layer's name beside its type. Defaults to ``True``.
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right). Defaults to ``"TB"``.
        expand_nested: list the layers of a nested model inside its box. Defaults to
            ``False``.
        dpi: dots per inch of a PNG or JPEG. Defaults to ``200``.
        show_layer_activations: write the activation of layers that have one. Defaults to
            ``False``.
        show_trainable: write whether each layer is trainable. Defaults to ``False``.

    Returns:
        The matplotlib ``Figure`` (a notebook shows it).
    """
    if rankdir not in ("TB", "LR"):
        raise ValueError(_("rankdir: expected 'TB' or 'LR', got {value!r}").format(
            value=rankdir))
    path = os.fspath(to_file)
    if not path.lower().endswith(_FORMATS):
        raise ValueError(_("to_file: expected a file name ending in {formats}, got "
                           "{value!r}").format(formats=", ".join(_FORMATS), value=path))
    graph = model.graph()
    depth = {}
    for node in graph.nodes:        # in forward order: a node's inputs come before it
        depth[id(node)] = 1 + max((depth[id(t.node)] for t in node.inputs), default=-1)
    rows: dict[int, list] = {}
    for node in graph.nodes:
        rows.setdefault(depth[id(node)], []).append(node)
    texts = {id(node): _label(node, show_shapes, show_dtype, show_layer_names, expand_nested,
                              show_layer_activations, show_trainable) for node in graph.nodes}
    return _draw(graph, rows, texts, rankdir, path, dpi)


def _label(node, show_shapes, show_dtype, show_names, expand_nested, activations,
           trainable) -> str:
    layer = node.layer
    kind = kind_of(layer)
    lines = [f"{layer.name} ({kind})" if show_names else kind]
    activation = getattr(layer, "activation", None)
    if activations and callable(activation):
        lines.append(f"activation: {getattr(activation, '__name__', activation)}")
    if show_shapes:
        shapes = [tuple(t.shape) for t in node.inputs]
        given = shapes[0] if len(shapes) == 1 else shapes or "-"
        out = [tuple(t.shape) for t in node.outputs]
        lines.append(f"in: {given}  out: {out[0] if len(out) == 1 else out}")
    if show_dtype:
        lines.append(f"dtype: {layer.dtype}")
    if trainable:
        lines.append(f"trainable: {'Y' if layer.trainable else 'N'}")
    if expand_nested and hasattr(layer, "_summary_layers"):
        lines += [f"└ {inner.name} ({kind_of(inner)})"
                  for inner in layer._summary_layers()]
    return "\n".join(lines)


def _draw(graph, rows, texts, rankdir, path, dpi):
    """Boxes in rows by depth, arrows from each box to the boxes reading its output."""
    from matplotlib.figure import Figure  # no pyplot: no window, any backend

    wide = max(len(line) for text in texts.values() for line in text.splitlines())
    tall = max(text.count("\n") + 1 for text in texts.values())
    box_w, box_h = 0.11 * wide + 0.6, 0.3 * tall + 0.4          # inches
    step_w, step_h = box_w + 0.5, box_h + 0.6
    across = max(len(nodes) for nodes in rows.values())
    place = {}
    for level, nodes in rows.items():
        for i, node in enumerate(nodes):
            offset = (i - (len(nodes) - 1) / 2) * step_w
            place[id(node)] = (offset, -level * step_h) if rankdir == "TB" else \
                (level * step_w, -offset * step_h / step_w)
    if rankdir == "TB":
        size = (across * step_w + 0.5, len(rows) * step_h + 0.5)
    else:
        size = (len(rows) * step_w + 0.5, across * step_h + 0.5)
    fig = Figure(figsize=size)
    ax = fig.subplots()
    ax.set_axis_off()
    xs = [x for x, _y in place.values()]
    ys = [y for _x, y in place.values()]
    ax.set_xlim(min(xs) - step_w / 2, max(xs) + step_w / 2)
    ax.set_ylim(min(ys) - step_h / 2, max(ys) + step_h / 2)
    boxes = {}
    for node in graph.nodes:
        boxes[id(node)] = ax.text(*place[id(node)], texts[id(node)], ha="center",
                                  va="center", family="monospace", fontsize=9,
                                  bbox={"boxstyle": "round,pad=0.5", "facecolor": "#e8f1fb",
                                        "edgecolor": "#2b6cb0"})
    for node in graph.nodes:      # from center to center, cut where the boxes end
        for tensor in node.inputs:
            ax.annotate("", xy=place[id(node)], xytext=place[id(tensor.node)],
                        arrowprops={"arrowstyle": "-|>", "color": "#4a5568",
                                    "patchA": boxes[id(tensor.node)].get_bbox_patch(),
                                    "patchB": boxes[id(node)].get_bbox_patch()})
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    # written whole, then renamed: a failed save loses nothing (savefig reads the suffix)
    with atomic_path(path, suffix=os.path.splitext(path)[1]) as temporary:
        fig.savefig(temporary, dpi=dpi, bbox_inches="tight")
    return fig
