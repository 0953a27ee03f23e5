"""Looking at results: matplotlib figures (``redes.report.figures``) and a self-contained
HTML report of several runs (``redes.report.html``)."""

from . import figures
from .html import write_report

__all__ = ["figures", "write_report"]
