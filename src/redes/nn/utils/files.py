"""``get_file``: a file from Keras' cache (``~/.keras/datasets``, or ``$KERAS_HOME``).

redes never downloads: a file that is not in the cache gives an error that names its URL
and the path to put it at (download it there with a browser, or on a machine with internet
run ``keras.utils.get_file`` once and copy the cache folder).
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import urllib.parse
import zipfile

from ...i18n import _


def cache_folder(cache_dir=None, cache_subdir="datasets") -> str:
    """Keras' cache folder: ``cache_dir``, else ``$KERAS_HOME``, else ``~/.keras`` (or
    ``/tmp/.keras`` where that one cannot be written, as Keras); then ``cache_subdir``."""
    if cache_dir is None:
        cache_dir = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    base = os.path.expanduser(cache_dir)
    if os.path.isdir(base) and not os.access(base, os.W_OK):
        base = os.path.join("/tmp", ".keras")
    return os.path.join(base, cache_subdir)


def _hash_matches(path, file_hash, algorithm) -> bool:
    if algorithm == "auto":
        algorithm = "sha256" if len(file_hash) == 64 else "md5"
    digest = hashlib.new(algorithm)
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == str(file_hash)


def _extract(archive, folder) -> None:
    """Unpack a .tar(.gz) or .zip archive into ``folder`` (no member may leave it)."""
    if tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
    elif zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(folder)
    else:
        raise ValueError(_("extract: {path} is not a .tar, .tar.gz or .zip archive").format(
            path=archive))


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """The path of the file ``fname`` (by default the last part of ``origin``) in Keras'
    cache, as ``keras.utils.get_file`` returns it; with ``extract`` (or ``untar``) the folder
    it was unpacked into (unpacked on first use).

    Args:
        fname: the file's name in the cache. Defaults to the name in ``origin``.
        origin: the URL Keras downloads the file from.
        untar, extract: unpack the archive (.tar, .tar.gz, .zip). Default to False.
        md5_hash, file_hash: the expected hash of the file, checked when given.
        cache_subdir: the subfolder of the cache. Defaults to ``"datasets"``.
        hash_algorithm: ``"md5"``, ``"sha256"`` or ``"auto"``. Defaults to ``"auto"``.
        archive_format: accepted for Keras code (the format is read from the file).
        cache_dir: the cache folder. Defaults to ``$KERAS_HOME`` or ``~/.keras``.
        force_download: refused: redes does not download.

    Raises:
        FileNotFoundError: the file is not in the cache; the message says where to put it.
    """
    if origin is None and fname is None:
        raise ValueError(_("origin: give the URL of the file (and fname, its name)"))
    if fname is None:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
    fname = os.fspath(fname)
    if not fname or os.sep in fname:
        raise ValueError(_("fname: expected a file name without folders, got {value!r}")
                         .format(value=fname))
    folder = cache_folder(cache_dir, cache_subdir)
    unpack = extract or untar
    target = os.path.join(folder, fname)
    if unpack and "." not in fname:
        target = os.path.join(folder, fname + "_archive")
    if force_download or not os.path.isfile(target):
        raise FileNotFoundError(_(
            "get_file: {name} is not in the Keras cache and redes does not download. "
            "Download {url} and put it at {path}").format(name=fname, url=origin, path=target))
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    if file_hash is not None and not _hash_matches(target, file_hash, hash_algorithm):
        raise ValueError(_(
            "file_hash: {path} does not have the expected hash {hash}; it may be incomplete: "
            "download {url} again").format(path=target, hash=file_hash, url=origin))
    if not unpack:
        return target
    name = fname[:fname.find(".")] if "." in fname else fname
    extracted = os.path.join(folder, name + "_extracted" if "." in fname else name)
    if not os.path.isdir(extracted):
        _extract(target, extracted)
    return extracted
