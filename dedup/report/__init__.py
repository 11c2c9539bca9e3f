"""Renderers of a :class:`dedup.Result`: plain text, JSON and HTML."""

from dedup.report.html import render_html
from dedup.report.json import render_json, result_to_dict
from dedup.report.text import render_text

__all__ = ["render_html", "render_json", "render_text", "result_to_dict"]
