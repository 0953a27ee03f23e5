"""The Jupyter kernels the notebook tests start.

Over TCP, jupyter_client picks free ports for a kernel, lets them go, and the kernel binds
them a moment later: two kernels started at once (the test workers run side by side) can
pick the same port, and one dies with "Address already in use". On Linux the kernels talk
over Unix sockets instead, files in a folder of their own, which no other kernel can take.
"""

from __future__ import annotations

import sys
import tempfile


def kernel_manager(folder, kernel_name: str = "python3"):
    """A kernel manager for ``nbclient.NotebookClient(km=...)``, whose sockets are files in
    ``folder`` (the test's temporary folder)."""
    from jupyter_client.manager import KernelManager

    if not sys.platform.startswith("linux"):
        return KernelManager(kernel_name=kernel_name)
    prefix = f"{folder}/kernel"
    if len(prefix) > 90:          # a Unix socket's name holds at most 107 characters
        prefix = f"{tempfile.mkdtemp(prefix='redes-kernel-')}/kernel"
    return KernelManager(kernel_name=kernel_name, transport="ipc", ip=prefix)
