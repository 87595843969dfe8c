"""Register the ```quiz fence (scripts/quiz.py) and check every quiz before its page is built,
so a malformed quiz stops the build with the page and the question named."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import quiz  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

QUIZ_FENCE = re.compile(r"^(?P<indent>[ \t]*)```quiz[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M)


def on_config(config):
    fences = config["mdx_configs"].setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(f.get("name") == "quiz" for f in fences):
        fences.append({"name": "quiz", "class": "quiz", "format": quiz.fence})
    return config


def on_page_markdown(markdown, page, config, files):
    for n, m in enumerate(QUIZ_FENCE.finditer(markdown), start=1):
        try:
            quiz.parse(m.group("body"))
        except quiz.QuizError as exc:
            line = markdown[: m.start()].count("\n") + 1
            raise PluginError(f"docs/{page.file.src_uri}:{line}: quiz {n}: {exc}") from exc
    return markdown
