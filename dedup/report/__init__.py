"""Renderers of a :class:`dedup.Result`: plain text and JSON."""

from dedup.report.json import render_json, result_to_dict
from dedup.report.text import render_text

__all__ = ["render_json", "render_text", "result_to_dict"]
