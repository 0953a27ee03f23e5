"""The playground's words: every text its page shows, in the language the page asks for.

The page (``static/app.js``) has no texts of its own: it fetches ``GET /words/<lang>.json``,
whose answer is ``words(lang)``, and writes those texts into its labels, buttons and menus.
The texts are redes' messages like any other: marked here in English, extracted by
``python -m redes.i18n.extract`` into the catalogs (``locale/<lang>/LC_MESSAGES/redes.po``)
and translated there, so a language with a catalog is a language of the page too.

* ``WORDS``: key -> English text, marked with ``N_`` (a key is what the page's elements name
  in ``data-i18n``, or an option's value: ``"adam"``, ``"spiral"``, ``"classification"``);
* ``PLURALS``: key -> (singular, plural), English texts holding ``{n}`` (a count), marked
  for the extractor with ``ngettext`` in ``_marked``.

Plurals: the page gets two forms, ``{"one": ..., "other": ...}``, the catalog's forms for
n = 1 and n = 2, with ``{n}`` left in for the page to fill; it uses ``one`` for 1 and
``other`` for any other count. That is exact for languages whose plural rule is
``n != 1``, as English and Spanish; a language with more forms (Polish has three) would need
the page to get the forms of more counts.
"""

from __future__ import annotations

from ..i18n import N_, ngettext, ngettext_in, translated_in

WORDS: dict[str, str] = {
    "reset": N_("Reset the weights"),
    "play": N_("Run / pause"),
    "step": N_("One epoch"),
    "epoch": N_("Epoch"),
    "learning_rate": N_("Learning rate"),
    "optimizer": N_("Optimizer"),
    "activation": N_("Activation"),
    "regularization": N_("Regularization"),
    "reg_rate": N_("Regularization rate"),
    "dropout": N_("Dropout"),
    "problem": N_("Problem type"),
    "export": N_("Export"),
    "data": N_("Data"),
    "which_dataset": N_("Which dataset?"),
    "preset": N_("Preset that works"),
    "preset_none": N_("—"),
    "train_ratio": N_("Ratio of training data"),
    "noise": N_("Noise"),
    "points": N_("Points"),
    "batch_size": N_("Batch size"),
    "speed": N_("Epochs per frame"),
    "seed": N_("Seed"),
    "regenerate": N_("Regenerate"),
    "upload": N_("Upload CSV (x1,x2,label)"),
    "upload_hint": N_("Up to 2000 rows and 256 KB; integer labels to classify."),
    "output": N_("Output"),
    "test_loss": N_("Test loss"),
    "train_loss": N_("Training loss"),
    "show_test": N_("Show test data"),
    "discretize": N_("Discretize output"),
    "export_title": N_("Export the network"),
    "keras_script": N_("Keras script"),
    "recipe": N_("redes train recipe (JSON)"),
    "download": N_("Download"),
    "close": N_("Close"),
    "features": N_("Features"),
    "out_node": N_("Output"),
    "accuracy": N_("accuracy"),
    "test": N_("test"),
    "train": N_("training"),
    "loss_ce": N_("loss: crossentropy (without the penalty)"),
    "loss_mse": N_("loss: mean squared error (without the penalty)"),
    "legend_class": N_("colour = class; strength = confidence"),
    "legend_value": N_("orange: negative · blue: positive"),
    "hover_weight": N_("Weight"),
    "hover_neuron": N_("Neuron"),
    "bias": N_("bias"),
    "layer": N_("layer"),
    "hover_hint": N_("Hover over a neuron to see its output in large."),
    # the network drawing: its buttons, links and biases (net.js)
    "add_layer": N_("Add a hidden layer"),
    "remove_layer": N_("Remove the last hidden layer"),
    "add_neuron": N_("Add a neuron to layer {n}"),
    "remove_neuron": N_("Remove a neuron from layer {n}"),
    "layer_n": N_("layer {n}"),
    "neuron_of_layer": N_("Neuron {n}, layer {layer}"),
    "weight_from_to": N_("from {from} to {to}"),
    "bias_value": N_("Bias"),
    "edit_hint": N_("Click or tap a link, or a neuron's bias (the small square at its "
                    "left), to change its value."),
    "tap_hint": N_("Tap a neuron to see its output in large; tap it again to go back."),
    "edit_weight": N_("Weight from {from} to {to}"),
    "edit_bias": N_("Bias of {node}"),
    "edit_apply": N_("Apply"),
    "edit_cancel": N_("Cancel"),
    "edit_range": N_("Type a number from -100 to 100."),
    "too_big": N_("The file is too large"),
    "disconnected": N_("Lost the connection to the server. Trying to reconnect…"),
    "reconnect_attempt": N_("(attempt {n})"),
    "reconnect_now": N_("Try now"),
    "reconnected": N_("Reconnected: the session goes on where it was."),
    "challenges": N_("Challenges"),
    "challenges_title": N_("Guided challenges"),
    "challenge_close": N_("Leave the challenge"),
    "challenge_hint": N_("Hint"),
    "challenge_solved": N_("Solved at epoch {n}! Can you do it with a smaller network, or in "
                           "fewer epochs?"),
    "classroom_unknown": N_("This link names controls or challenges the page does not know: "
                            "{names}"),
    "goal_data": N_("Keep the dataset {dataset} and its noise"),
    "goal_features": N_("Only the features {features}"),
    "goal_layers_exact": N_("Hidden layers: exactly {n} (now {count})"),
    "goal_layers_max": N_("Hidden layers: at most {n} (now {count})"),
    "goal_neurons": N_("Hidden neurons: at most {n} (now {count})"),
    "goal_accuracy": N_("Test accuracy: at least {value} % (now {now})"),
    "goal_loss": N_("Test loss: below {value} (now {now})"),
    "challenge_spiral_x1x2_title": N_("The spiral with only x1 and x2"),
    "challenge_spiral_x1x2_task": N_("Classify the spiral using only the inputs x1 and x2 (no "
                                     "sines, no squares): at least 90 % test accuracy."),
    "challenge_spiral_x1x2_hint": N_("One or two small layers cannot bend the boundary that "
                                     "much: add hidden layers and neurons, try ReLU, and Adam "
                                     "with a small learning rate."),
    "challenge_xor_smallest_title": N_("The smallest network for XOR"),
    "challenge_xor_smallest_task": N_("Reach 95 % test accuracy on XOR with x1 and x2 and as "
                                      "few hidden neurons as you can: 4 or fewer."),
    "challenge_xor_smallest_hint": N_("XOR cannot be split by one straight line, so it needs a "
                                      "hidden layer. Remove the second layer, then remove "
                                      "neurons one at a time and train again."),
    "challenge_circle_one_layer_title": N_("The circle with one hidden layer"),
    "challenge_circle_one_layer_task": N_("Separate the circle from the ring around it with x1 "
                                          "and x2 and exactly one hidden layer: test loss "
                                          "below 0.1."),
    "challenge_circle_one_layer_hint": N_("Without a hidden layer the boundary is a straight "
                                          "line. Add one layer: how many neurons does it take "
                                          "to enclose the circle? Three already draw a "
                                          "triangle."),
    "challenge_gauss_one_neuron_title": N_("One neuron is enough"),
    "challenge_gauss_one_neuron_task": N_("Separate the two gaussian clouds with no hidden "
                                          "layer at all: test loss below 0.1."),
    "challenge_gauss_one_neuron_hint": N_("Remove every hidden layer: the output neuron alone "
                                          "draws a straight line, and a line separates these "
                                          "two clouds (this is logistic regression)."),
    "challenge_sine_regression_title": N_("Regression of the sine"),
    "challenge_sine_regression_task": N_("Fit y = sin(x1): test loss (mean squared error) "
                                         "below 0.01."),
    "challenge_sine_regression_hint": N_("Two tanh neurons cannot follow both bends of the "
                                         "sine. Try two layers of about 8 neurons and the Adam "
                                         "optimizer."),
    "classification": N_("Classification"),
    "regression": N_("Regression"),
    "none": N_("None"),
    "sgd": N_("SGD"),
    "momentum": N_("SGD with momentum"),
    "rmsprop": N_("RMSprop"),
    "adam": N_("Adam"),
    "circle": N_("Circle"),
    "xor": N_("XOR"),
    "gauss": N_("Gaussian"),
    "spiral": N_("Spiral"),
    "moons": N_("Moons"),
    "checkerboard": N_("Checkerboard"),
    "spiral3": N_("3-class spiral"),
    "blobs": N_("Blobs (4 classes)"),
    "plane": N_("Plane"),
    "multigauss": N_("Multi gaussian"),
    "sine": N_("Sine y = sin(x1)"),
    "custom": N_("My data (CSV)"),
    # the output panel and the data drawn by hand (output.js, data.js)
    "curve_metric": N_("What the curve shows"),
    "curve_loss": N_("Loss"),
    "curve_accuracy": N_("Accuracy"),
    "diverged": N_("The loss diverged: the learning rate ({rate}) is too large for this "
                   "network; lower it and reset the weights."),
    "confusion": N_("Test points: true class (rows) by predicted class (columns)"),
    "r2": N_("R²"),
    "r2_hint": N_("Coefficient of determination: 1 is perfect, 0 is no better than "
                  "predicting the mean"),
    "stop_epoch": N_("Stop at epoch (0: never)"),
    "draw": N_("Draw points"),
    "draw_class": N_("Class"),
    "draw_target": N_("Value"),
    "clear_points": N_("Clear all points"),
    "draw_hint": N_("Click on the output to add a point there."),
    "download_points": N_("Points (CSV)"),
    "download_model": N_("Model file (redes.nn)"),
    "file_keras": N_("playground_network.py"),
    "file_recipe": N_("playground_recipe.json"),
    "file_model": N_("playground_network.keras"),
    "file_points": N_("playground_points.csv"),
}

PLURALS: dict[str, tuple[str, str]] = {
    "hidden_layers": ("{n} hidden layer", "{n} hidden layers"),
    "neurons": ("{n} neuron", "{n} neurons"),
}


def _marked() -> None:  # pragma: no cover - never called
    """Shows ``PLURALS`` to the extractor, which reads ``ngettext`` calls with literals
    only (``tests/playground/test_front_end_words.py`` checks that the two agree)."""
    ngettext("{n} hidden layer", "{n} hidden layers", 1)
    ngettext("{n} neuron", "{n} neurons", 1)


def words(lang: str) -> dict[str, str | dict[str, str]]:
    """Every word of the page in ``lang`` ("es", "en", "pseudo", or any language with a
    catalog): ``{key: text}`` for ``WORDS``, ``{key: {"one": text, "other": text}}`` for
    ``PLURALS`` (see the module's docstring). The current language of redes does not change.

    Raises:
        ValueError: ``lang`` has no catalog (nor is English or "pseudo").
    """
    out: dict[str, str | dict[str, str]] = {key: translated_in(lang, text)
                                            for key, text in WORDS.items()}
    for key, (singular, plural) in PLURALS.items():
        out[key] = {"one": ngettext_in(lang, singular, plural, 1),
                    "other": ngettext_in(lang, singular, plural, 2)}
    return out


__all__ = ["WORDS", "PLURALS", "words"]
