"""``model.summary()``: the table Keras prints, with its columns and arguments.

Each row is a layer: its name and type, its output shape, its parameter count, and, for a
model that is not a plain chain of layers, the outputs it reads ("Connected to", as
``name[call][output]``). The numbers are the model's own; the layout follows Keras.
"""

from __future__ import annotations

import shutil
import textwrap

from ...i18n import _


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None) -> None:
    """Print the summary of ``model`` (see ``Model.summary`` for the arguments)."""
    print_fn = print_fn or print
    graph = model._graph
    chain = graph is None or all(len(node.inputs) <= 1 for node in graph.nodes) and len(
        {id(node.layer) for node in graph.nodes}) == len(graph.nodes)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if not chain:
        headers.append("Connected to")
    if show_trainable:
        headers.append("Trainable")
    rows = _rows(model, expand_nested, show_trainable, chain, depth=0)
    rows = _in_range(rows, layer_range)
    if positions is None:     # Keras' proportions
        positions = [0.45, 0.80, 1.0] if chain else [0.3, 0.56, 0.74, 1.0]
        if show_trainable:
            positions = [p * 0.9 for p in positions] + [1.0]
    widths = _widths(len(headers), line_length or _default_length(chain, show_trainable),
                     positions)
    print_fn(f'Model: "{model.name}"')
    print_fn("┏" + "┳".join("━" * w for w in widths) + "┓")
    print_fn(_line(headers, widths, "┃", right=[2], one_line=True))
    print_fn("┡" + "╇".join("━" * w for w in widths) + "┩")
    for i, row in enumerate(rows):
        print_fn(_line(row[1:], widths, "│", right=[2],
                       center=[len(headers) - 1] if show_trainable else []))
        if i < len(rows) - 1:
            print_fn("├" + "┼".join("─" * w for w in widths) + "┤")
    print_fn("└" + "┴".join("─" * w for w in widths) + "┘")
    total = model.count_params()
    trainable = sum(w.size for w in model.trainable_weights)
    # as Keras prints it, in English whatever the language (like fit's progress bar)
    for label, count in (("Total params", total), ("Trainable params", trainable),
                         ("Non-trainable params", total - trainable)):
        print_fn(f" {label}: {count:,} ({size(count)})")


def _rows(model, expand_nested, show_trainable, chain, depth) -> list:
    """One row per layer: (name, label, shape, params[, connected][, trainable])."""
    graph = model._graph
    calls = {} if graph is None else graph.call_index
    rows = []
    for layer in model._summary_layers():
        prefix = "   " * depth + "└ " if depth else ""
        label = prefix + f"{layer.name} ({kind_of(layer)})"
        shape = str(layer.output_shape) if layer.built else "?"
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        row = [layer.name, label, shape, params]
        if not chain:
            row.append(_connected(graph, layer, calls) if depth == 0 else "")
        if show_trainable:
            row.append("-" if not layer.weights else "Y" if layer.trainable else "N")
        rows.append(row)
        if expand_nested and hasattr(layer, "_summary_layers"):
            rows += _rows(layer, expand_nested, show_trainable, chain, depth + 1)
    return rows


def kind_of(layer) -> str:
    """The type Keras shows for a layer (in summaries and plots): ``Functional`` for
    ``keras.Model(inputs, outputs)``."""
    name = type(layer).__name__
    return "Functional" if name == "Model" and layer._graph is not None else name


def _connected(graph, layer, calls) -> str:
    nodes = [node for node in graph.nodes if node.layer is layer and node.inputs]
    reads = [f"{t.node.layer.name}[{calls.get(id(t.node), 0)}][{t.index}]"
             for node in nodes for t in node.inputs if t.node is not None]
    return ", ".join(reads) or "-"


def _in_range(rows, layer_range) -> list:
    """The rows from the layer named ``layer_range[0]`` to ``layer_range[1]``."""
    if layer_range is None:
        return rows
    names = [row[0] for row in rows]
    if (not isinstance(layer_range, (list, tuple)) or len(layer_range) != 2
            or any(name not in names for name in layer_range)):
        raise ValueError(_(
            "layer_range: expected two layer names of the model {names}, got {value!r}"
        ).format(names=names, value=layer_range))
    first, last = names.index(layer_range[0]), names.index(layer_range[1])
    return rows[first:last + 1]


def _default_length(chain: bool, show_trainable: bool) -> int:
    """Keras 3's line length: 88 for a chain of layers, 108 with "Connected to", 12 more
    for "Trainable"; at most the terminal's width less 4 (76 where there is none)."""
    length = (88 if chain else 108) + (12 if show_trainable else 0)
    return min(length, shutil.get_terminal_size().columns - 4)


def _widths(columns: int, line_length: int, positions) -> list[int]:
    """The inner width of each column from ``positions``, the right edge of each column as
    fractions of ``line_length`` or as character counts. The borders (one more than the
    columns) are taken from the columns evenly, so that the table is as wide as Keras'."""
    if len(positions) < columns:
        raise ValueError(_(
            "positions: expected {count} column edges, got {value!r}").format(
                count=columns, value=positions))
    edges = [int(p * line_length) if p <= 1 else int(p) for p in positions[:columns]]
    widths = [b - a for a, b in zip([0, *edges[:-1]], edges)]
    left = columns + 1
    for i in range(columns):
        cut = round(left / (columns - i))
        widths[i] -= cut
        left -= cut
    return [max(w, 4) for w in widths]


def _line(cells, widths, bar, right=(), center=(), one_line=False) -> str:
    """One row of the table, each cell wrapped to its column's width, or cut short with
    "…" when ``one_line`` (as Keras writes its headers)."""
    def fit(text, w):
        return text if len(text) <= w - 2 else text[:w - 3] + "…"

    if one_line:
        wrapped = [[fit(c, w)] for c, w in zip(cells, widths)]
    else:    # wrapped between words; a word longer than the column is cut short
        wrapped = [[fit(line, w) for line in textwrap.wrap(
            str(c), w - 2, break_on_hyphens=False, break_long_words=False)] or [""]
            for c, w in zip(cells, widths)]
    lines = []
    for i in range(max(len(w) for w in wrapped)):
        parts = []
        for column, (lines_of_cell, w) in enumerate(zip(wrapped, widths)):
            text = lines_of_cell[i] if i < len(lines_of_cell) else ""
            align = str.rjust if column in right else str.center if column in center \
                else str.ljust
            parts.append(" " + align(text, w - 2) + " ")
        lines.append(bar + bar.join(parts) + bar)
    return "\n".join(lines)


def size(count: int) -> str:
    """The memory of ``count`` float32 numbers, as Keras writes it (``268.00 B``)."""
    size = count * 4.0
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return ""
