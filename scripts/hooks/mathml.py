"""Math rendered to MathML at build time: no JavaScript, no CDN.

Chapters: pymdownx.arithmatex (generic mode) wraps ``$...$`` and ``$$...$$`` in
``<span|div class="arithmatex">`` with ``\\(..\\)`` / ``\\[..\\]`` delimiters; each is converted with
latex2mathml. Labs: nbconvert leaves ``$...$`` as text inside rendered Markdown cells; those cells
are converted the same way. TeX that cannot be converted stops the build, naming the page and the
expression.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError

ARITHMATEX = re.compile(
    r'<(span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</\1>', re.S
)
NB_MARKDOWN_CELL = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
# Inline math may wrap onto the next line of its paragraph, but never runs across a tag (such as
# a paragraph's end): raw "<" appears in rendered HTML only in tags; math's own is escaped.
NB_MATH = re.compile(r"\$\$(?P<block>.+?)\$\$|(?<![\\$\w])\$(?P<inline>[^$<]+?)\$(?!\w)", re.S)
FIGCAPTION = re.compile(r"(<figcaption[^>]*>)(.*?)(</figcaption>)", re.S)
CODE = re.compile(r"(<(code|pre)[^>]*>.*?</\2>)", re.S)


@lru_cache(maxsize=None)
def _convert(tex: str, display: bool) -> str:
    mathml = convert(tex, display="block" if display else "inline")
    # Keep the source for screen readers' fallback and for search snippets.
    return mathml.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)


def to_mathml(tex: str, display: bool, where: str) -> str:
    tex = html.unescape(tex).strip()
    try:
        return _convert(tex, display)
    except Exception as exc:  # latex2mathml raises a variety of exception types
        raise PluginError(f"{where}: cannot render the math ${tex}$ ({type(exc).__name__}: {exc})") from exc


def _sub_chapter(content: str, where: str) -> str:
    def repl(m):
        if m.group("block") is not None:
            return f'<div class="math-display">{to_mathml(m.group("block"), True, where)}</div>'
        return to_mathml(m.group("inline"), False, where)

    content = ARITHMATEX.sub(repl, content)
    # A figure's caption is raw HTML inside <figure markdown="span">, so Markdown (and arithmatex)
    # never sees its math; convert it here the way a lab's Markdown cells are converted.
    return FIGCAPTION.sub(lambda m: m.group(1) + _sub_text(m.group(2), where) + m.group(3), content)


def _sub_text(text: str, where: str) -> str:
    """Convert ``$...$`` and ``$$...$$`` in rendered HTML text that Markdown did not process,
    leaving code alone."""
    parts = CODE.split(text)
    out = []
    for chunk in parts:
        if chunk.startswith("<code") or chunk.startswith("<pre"):
            out.append(chunk)
        elif chunk in ("code", "pre"):
            continue  # the regex's inner group
        else:
            out.append(
                NB_MATH.sub(
                    lambda m: (
                        f'<div class="math-display">{to_mathml(m.group("block"), True, where)}</div>'
                        if m.group("block") is not None
                        else to_mathml(m.group("inline"), False, where)
                    ),
                    chunk,
                )
            )
    return "".join(out)


def _sub_notebook(content: str, where: str) -> str:
    return NB_MARKDOWN_CELL.sub(lambda m: m.group(1) + _sub_text(m.group(2), where) + m.group(3), content)


def on_page_content(content, page, config, files):
    where = f"docs/{page.file.src_uri}"
    if page.file.src_uri.endswith(".ipynb"):
        return _sub_notebook(content, where)
    return _sub_chapter(content, where)
