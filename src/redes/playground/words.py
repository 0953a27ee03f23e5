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
    "too_big": N_("The file is too large"),
    "disconnected": N_("Lost the connection to the server: reload the page."),
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
