"""The progress bar of a study: the trials done, the best value so far, and how many were
pruned or failed."""

from __future__ import annotations

import math

from ..i18n import _


class Progress:
    """A rich progress bar of the trials (or nothing when ``enabled`` is False)."""

    def __init__(self, enabled, total, objective):
        self.enabled, self.total, self.objective = enabled, total, objective
        self.progress = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(TextColumn(_("trials")), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TextColumn("{task.description}"))
            self.progress.start()
            self.task = self.progress.add_task("", total=self.total)
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()

    def _show(self, done, trials):
        if self.progress is None:
            return
        states = [t.state.name for t in trials]
        values = [t.value for t in trials if t.state.name == "COMPLETE"
                  and t.value is not None and math.isfinite(t.value)]
        best = (min if self.objective["direction"] == "minimize" else max)(values) \
            if values else None
        text = ""
        if best is not None:
            text = _("best {objective} {value:.4g}").format(objective=self.objective["name"],
                                                            value=best)
        text += "  " + _("pruned {pruned}  failed {failed}").format(
            pruned=states.count("PRUNED"), failed=states.count("FAIL"))
        self.progress.update(self.task, completed=min(done, self.total), description=text)

    def callback(self, study, trial):
        trials = study.get_trials(deepcopy=False)
        self._show(self.progress.tasks[0].completed + 1 if self.progress else 0, trials)

    def poll(self, study, before):
        if self.progress is None:
            return
        trials = study.get_trials(deepcopy=False)
        finished = [t for t in trials[before:] if t.state.is_finished()]
        self._show(len(finished), trials)
