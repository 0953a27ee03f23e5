"""A recipe's data: its dataset loaded and split, checked to hold what the recipe needs, and
preprocessed with statistics of the training data only."""

from __future__ import annotations

from redes._base.checks import check_seed
from redes.i18n import _


def _load_splits(recipe: dict, seed: int):
    """``(x_train, y_train), (x_test, y_test)`` of the recipe's dataset, before preprocessing."""
    from redes import data

    spec = recipe["dataset"]
    loaded = data.load(spec["name"], **spec.get("kwargs", {}))
    if "test_split" in spec:  # a dataset without a test set: hold one out, stratified
        x, y = loaded
        (x_tr, y_tr), _validation, (x_te, y_te) = data.holdout(
            x, y, validation=0.0, test=spec["test_split"], seed=seed,
            stratify=recipe["task"]["type"] != "regression")
        return (x_tr, y_tr), (x_te, y_te)
    return loaded


def load_checked(recipe: dict, seed: int = 0):
    """``(x_train, y_train), (x_test, y_test)`` of the recipe's dataset, before preprocessing,
    checked to hold what the recipe needs: samples in both sets, more training samples than
    its validation takes and at least one per fold.

    Raises:
        DatasetNotFoundError: the dataset's files are not on this machine.
        ValueError: the dataset cannot be used as the recipe says.
    """
    (x_tr, y_tr), (x_te, y_te) = _load_splits(recipe, seed)
    _check_sizes(recipe, len(x_tr), len(x_te))
    return (x_tr, y_tr), (x_te, y_te)


def prepare_data(recipe: dict, seed: int = 0) -> dict:
    """The recipe's arrays, preprocessed with statistics of the training data only.

    Args:
        recipe: a recipe dict (see ``redes.recipes``).
        seed: seed of the test split of datasets that come without one (the 2D toy sets).
            Defaults to ``0``.

    Returns:
        A dict with ``x_train``, ``y_train``, ``x_test``, ``y_test`` (preprocessed; for a
        recipe with ``fit.validation = {"first": n}`` also ``x_val``, ``y_val``: the first
        ``n`` training samples, and the preprocessing is fitted on the others),
        ``preprocessor`` (the fitted ``Preprocessor``), ``raw`` (the arrays before
        preprocessing, for k-fold validation which refits per fold) and ``input_shape``.

    Raises:
        DatasetNotFoundError: the dataset's files are not on this machine (the message says
            how to get them; ``recipes.get(recipe["offline_variant"])`` runs offline).
    """
    from redes.recipes import validate
    from redes.recipes.preprocessing import Preprocessor

    validate(recipe)
    seed = check_seed("seed", seed, allow_none=False)
    (x_tr, y_tr), (x_te, y_te) = load_checked(recipe, seed)
    out = {"raw": {"x_train": x_tr, "y_train": y_tr, "x_test": x_te, "y_test": y_te}}
    validation = recipe["fit"].get("validation")
    pre = Preprocessor(recipe["preprocessing"])
    if validation:
        n = validation["first"]
        pre.fit(x_tr[n:], y_tr[n:])
        out["x_val"], out["y_val"] = pre.transform(x_tr[:n], y_tr[:n])
        out["x_train"], out["y_train"] = pre.transform(x_tr[n:], y_tr[n:])
    else:
        out["x_train"], out["y_train"] = pre.fit_transform(x_tr, y_tr)
    out["x_test"], out["y_test"] = pre.transform(x_te, y_te)
    out["preprocessor"] = pre
    out["input_shape"] = tuple(int(s) for s in out["x_train"].shape[1:])
    return out


def _check_sizes(recipe: dict, n_train: int, n_test: int) -> None:
    """The dataset holds enough samples for what the recipe does with them."""
    name = recipe["dataset"]["name"]
    if n_train == 0 or n_test == 0:
        part = _("training") if n_train == 0 else _("test")
        raise ValueError(_("dataset {name}: the {part} set holds no samples; expected at "
                           "least one").format(name=name, part=part))
    first = (recipe["fit"].get("validation") or {}).get("first")
    if first is not None and first >= n_train:
        raise ValueError(_("fit.validation.first: expected fewer than the {n} training samples "
                           "of {name}, got {first}").format(n=n_train, name=name, first=first))
    evaluation = recipe["evaluation"]
    k = evaluation.get("kfold") if isinstance(evaluation, dict) else None
    if k is not None and k > n_train:
        raise ValueError(_("evaluation.kfold: {k} folds need at least {k} training samples; "
                           "{name} holds {n}").format(k=k, name=name, n=n_train))
