"""The outcome of a gradient check, and its report for a person (in the current language)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...i18n import _


@dataclass
class GradCheckResult:
    """The outcome of a gradient check.

    Attributes:
        what: what was checked, e.g. ``"Dense 'dense'"``.
        errors: the max relative error of each tensor, by name (``"input"``,
            ``"dense/kernel"``...).
        analytic, numeric: the two gradients of each tensor (at the checked elements).
        tolerance: the error below which the check passes.
        dtype: the float type the check ran in.
        step: the step ``h`` of the central differences.
        notes: warnings worth reading (float32 weights, elements skipped...).
    """

    what: str
    errors: dict[str, float]
    analytic: dict[str, np.ndarray]
    numeric: dict[str, np.ndarray]
    tolerance: float
    dtype: str
    step: float
    notes: list[str] = field(default_factory=list)

    @property
    def max_error(self) -> float:
        """The largest error over all tensors (0.0 when nothing was checked)."""
        return max(self.errors.values(), default=0.0)

    @property
    def passed(self) -> bool:
        """Whether something was checked and every error is below the tolerance."""
        return bool(self.errors) and all(e < self.tolerance for e in self.errors.values())

    def as_dict(self) -> dict:
        """The JSON-ready summary: errors, tolerance, dtype, step, notes and the verdict."""
        return {"what": self.what, "errors": dict(self.errors), "max_error": self.max_error,
                "tolerance": self.tolerance, "dtype": self.dtype, "step": self.step,
                "passed": self.passed, "notes": list(self.notes)}

    def verdict(self) -> str:
        """One line for a person, in the current language: ``passed: max relative error
        3.1e-11, tolerance 1e-06`` (or ``FAILED: ...``)."""
        if self.passed:
            line = _("passed: max relative error {error}, tolerance {tolerance}")
        else:
            line = _("FAILED: max relative error {error}, tolerance {tolerance}")
        return line.format(error=f"{self.max_error:.2e}", tolerance=f"{self.tolerance:.0e}")

    def __str__(self) -> str:
        """The report of the check, in the current language: one line per tensor with its
        max relative error, the verdict, then the notes."""
        tensor, shape_header = _("tensor"), _("shape")
        ok, wrong = _("ok"), _("WRONG?")
        width = max([len(tensor), *map(len, self.errors)])
        shape_width = max(12, len(shape_header))
        title = _("gradient check of {what} ({dtype}, h={step})").format(
            what=self.what, dtype=self.dtype, step=f"{self.step:g}")
        lines = [title, f"  {tensor:<{width}}  {shape_header:<{shape_width}}  "
                        + _("max relative error")]
        for name, err in self.errors.items():
            shape = str(tuple(self.analytic[name].shape))
            mark = ok if err < self.tolerance else wrong
            lines.append(f"  {name:<{width}}  {shape:<{shape_width}}  {err:.2e}  {mark}")
        lines.append(self.verdict())
        lines += [_("note: {note}").format(note=note) for note in self.notes]
        return "\n".join(lines)
