"""Register the book's custom fences and check each one before its page is built.

- ```quiz        a self-check quiz (scripts/quiz.py)
- ```calculator  an in-page calculator (scripts/calculators.py)

A malformed fence stops the build with the page, line and problem named.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import calculators  # noqa: E402
import quiz  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

FENCES = {
    "quiz": (quiz.fence, quiz.parse, quiz.QuizError),
    "calculator": (calculators.fence, calculators.parse, calculators.CalculatorError),
}
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<name>quiz|calculator)[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M)


def on_config(config):
    fences = config["mdx_configs"].setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    for name, (fmt, _, _) in FENCES.items():
        if not any(f.get("name") == name for f in fences):
            fences.append({"name": name, "class": name, "format": fmt})
    return config


def on_page_markdown(markdown, page, config, files):
    counts: dict[str, int] = {}
    for m in FENCE.finditer(markdown):
        name = m.group("name")
        counts[name] = counts.get(name, 0) + 1
        _, parse, error = FENCES[name]
        try:
            parse(m.group("body"))
        except error as exc:
            line = markdown[: m.start()].count("\n") + 1
            raise PluginError(f"docs/{page.file.src_uri}:{line}: {name} {counts[name]}: {exc}") from exc
    return markdown
