"""A worker process of a study: ``python -m redes.tune.worker`` reads its job as JSON on
standard input and runs its share of the trials (``run_study(..., workers=K)`` starts K of
them on the same storage).

The job: ``{"storage", "study_name", "folder", "trials", "timeout", "sampler_seed",
"pruner", "heartbeat_interval"}``.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    from .space import TuneError
    from .study import _disk_full_errors, _open_study, optimize, stored_attrs

    job = json.loads(sys.stdin.read())
    try:
        with _disk_full_errors(job["storage"]):
            study, _ = _open_study(job["storage"], job["study_name"], None,
                                   job["sampler_seed"], job["pruner"],
                                   job["heartbeat_interval"])
            optimize(study, stored_attrs(study), job["folder"], job["trials"], job["timeout"])
    except TuneError as exc:
        print(f"redes tune worker: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:               # a full disk, a folder that cannot be written
        print(f"redes tune worker: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
