"""``image_dataset_from_directory``: a folder of images, one subfolder per class, as a
dataset of batches ``(images, labels)``, as Keras makes it."""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_choice
from ._checks import check_size
from .directories import datasets
from .images import COLOR_MODES, decode, resize_bilinear

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


class ImageFiles:
    """Image files read, converted to ``color_mode`` and resized to ``image_size`` when a
    batch asks for them (only the paths stay in memory)."""

    def __init__(self, paths, image_size, color_mode, crop_to_aspect_ratio=False):
        self.paths, self.image_size, self.color_mode = paths, image_size, color_mode
        self.crop = crop_to_aspect_ratio

    def __len__(self) -> int:
        return len(self.paths)

    def _load(self, path) -> np.ndarray:
        image = decode(path, self.color_mode)
        if self.crop:       # the largest middle part with the target's aspect ratio
            (height, width), (target_h, target_w) = image.shape[:2], self.image_size
            crop_h = max(min(height, int(width * target_h / target_w)), 1)
            crop_w = max(min(width, int(height * target_w / target_h)), 1)
            top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
            image = image[top:top + crop_h, left:left + crop_w]
        return resize_bilinear(image, self.image_size)

    def __getitem__(self, index):
        if np.ndim(index) == 0:
            return self._load(self.paths[int(index)])
        channels = len(COLOR_MODES[self.color_mode])
        images = np.empty((len(index), *self.image_size, channels), dtype=np.float32)
        for k, i in enumerate(index):
            images[k] = self._load(self.paths[int(i)])
        return images


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 verbose=True):
    """A dataset of the images (.bmp, .gif, .jpeg, .jpg, .png) of ``directory``, one
    subfolder per class, as ``keras.utils.image_dataset_from_directory``::

        train_ds, val_ds = image_dataset_from_directory(
            "flowers", validation_split=0.2, subset="both", seed=1337,
            image_size=(180, 180), batch_size=32)
        train_ds.class_names        # the subfolders, sorted: ['daisy', 'roses', ...]

    Every image is resized to ``image_size`` (bilinear, as ``tf.image.resize``) and given as
    float32 values from 0 to 255: add ``layers.Rescaling(1/255)`` to the model.

    Args:
        directory: the folder; with ``labels="inferred"`` one subfolder per class.
        labels: ``"inferred"`` (from the subfolders), ``None`` (images only) or a list of
            integer labels, one per file in sorted order of the paths.
        label_mode: ``"int"`` (int32 labels, for sparse_categorical_crossentropy),
            ``"categorical"`` (one-hot float32), ``"binary"`` (float32 0 or 1 of shape
            (n, 1), for 2 classes) or ``None``. Defaults to ``"int"``.
        class_names: the subfolders to read, in the order of their labels. Defaults to
            None (all, sorted by name).
        color_mode: ``"grayscale"`` (1 channel), ``"rgb"`` (3) or ``"rgba"`` (4).
            Defaults to ``"rgb"``.
        batch_size: images per batch, or ``None`` for single images. Defaults to 32.
        image_size: ``(height, width)`` of the images given. Defaults to (256, 256).
        shuffle: shuffle the files (and each epoch's order). Defaults to True (False:
            sorted by path).
        seed: seed of the shuffling; needed with ``validation_split``.
        validation_split: fraction of the files for validation (the last ones after
            shuffling). Defaults to None.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a list of two datasets).
        interpolation: only ``"bilinear"`` here. Defaults to ``"bilinear"``.
        follow_links: visit subfolders that are symbolic links. Defaults to False.
        crop_to_aspect_ratio: crop the middle of each image to the aspect ratio of
            ``image_size`` before resizing (no distortion). Defaults to False.
        verbose: print how many files and classes were found. Defaults to True.

    Returns:
        A ``Dataset`` (two for ``subset="both"``) with ``class_names`` and ``file_paths``.
    """
    check_choice("color_mode", color_mode, tuple(COLOR_MODES))
    check_choice("interpolation", interpolation, ("bilinear",))
    image_size = check_size("image_size", image_size)
    return datasets(lambda paths: ImageFiles(paths, image_size, color_mode,
                                             bool(crop_to_aspect_ratio)), directory,
                    labels, label_mode, class_names, ALLOWLIST_FORMATS, batch_size,
                    shuffle, seed, validation_split, subset, follow_links, verbose)
