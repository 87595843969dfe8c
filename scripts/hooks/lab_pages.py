"""Lab pages: execute each lab once per change, render it lean, and give it its buttons.

- ``on_files`` executes every lab through ``scripts/labs.py`` (cached by content hash) and points
  mkdocs-jupyter at the executed copy, so the page shows outputs while git keeps clean notebooks.
  A lab that raises stops the build with a message naming the lab and the cell.
- ``on_pre_page`` gives the template what the lab buttons need: the download link, the Colab link
  built from ``repo_url`` in mkdocs.yml, and the chapter the lab belongs to.
- ``on_page_context`` hands the search indexer only a lab's Markdown cells.
- ``on_post_page`` moves the ~590 KB of CSS that mkdocs-jupyter inlines into every lab page into
  one stylesheet shared by all lab pages (cached by the browser once), adds JupyterLab's dark
  theme scoped to Material's dark palette, drops the MathJax loader (math is rendered to MathML at
  build time), and copies the stored notebook next to the page for the download button.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import labs as lab_runner  # noqa: E402
from book import load_outline  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

import mkdocs_jupyter  # noqa: E402

STYLE_RE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
SCRIPT_RE = re.compile(r"<script[^>]*>.*?</script>", re.S)
MATHJAX_BLOCK_RE = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
# mkdocs-jupyter's own copy buttons: an inline SVG icon and a hidden duplicate of the source per
# cell, plus a script. Material's copy button does the same job once the source is in <pre><code>.
CLIPBOARD_RE = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S)
CLIPBOARD_TXT_RE = re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">.*?</div>', re.S)
CELL_CODE_RE = re.compile(r'(<div class="highlight-ipynb[^"]*"><pre>)<span></span>(.*?)(</pre>)', re.S)
# Syntax highlighting is most of a lab page's weight: pygments wraps nearly every token in a span.
# Names and whitespace are unstyled in Material's palette, so their spans go; operators and
# punctuation (a muted grey there) are shown in the code colour instead; the string classes, all
# one colour, become one class; and runs of equal spans become one span.
PLAIN_SPAN_RE = re.compile(r'<span class="[nwop]">([^<]*)</span>')
STRING_CLASS_RE = re.compile(r'<span class="(?:s1|s2|sb|sc|si|ss)">')
ADJACENT_SPAN_RE = re.compile(r'<span class="([a-z0-9]+)">([^<]*)</span><span class="\1">([^<]*)</span>')
ASSETS = Path(mkdocs_jupyter.__file__).parent / "templates" / "mkdocs_html" / "assets"
CSS_DIR = "assets/stylesheets"

_sources: dict[str, Path] = {}  # lab src_uri -> stored notebook (without outputs)
_css_written: set[str] = set()


def _is_lab(file) -> bool:
    return file.src_uri.endswith(".ipynb")


@event_priority(-100)  # after mkdocs-jupyter wraps the files: set the path on its wrapper
def on_files(files, config):
    _sources.clear()
    _css_written.clear()
    labs = [f for f in files if _is_lab(f)]
    for f in labs:
        if "/labs/" not in f.src_uri:
            raise PluginError(f"{f.src_uri}: notebooks live in docs/<part>/labs/ beside their chapter")
    try:
        runs = lab_runner.execute_all([Path(f.abs_src_path) for f in labs])
    except lab_runner.LabError as exc:
        raise PluginError(f"lab failed to execute:\n{exc}") from exc
    executed = {str(r.source): r for r in runs}
    for f in labs:
        src = Path(f.abs_src_path).resolve()
        _sources[f.src_uri] = src
        f.abs_src_path = str(executed[str(src)].executed)
    return files


def on_pre_page(page, config, files):
    if not _is_lab(page.file):
        return page
    chapter = load_outline().chapter_for_lab(page.file.src_uri)
    if chapter is None:
        raise PluginError(f"{page.file.src_uri}: no chapter in outline.yml has this lab's slug")
    name = Path(page.file.src_uri).name
    repo = (config.get("repo_url") or "").rstrip("/")
    branch = config["extra"].get("colab_branch", "main")
    colab = ""
    if repo.startswith("https://github.com/"):
        colab = f"https://colab.research.google.com/github/{repo.removeprefix('https://github.com/')}/blob/{branch}/docs/{page.file.src_uri}"
    page.lab = {
        "download": name,
        "colab": colab,
        "chapter_url": "../../" + chapter.slug + "/",
        "chapter_title": f"{chapter.number} {chapter.title}",
        "number": chapter.number,
    }
    return page


MD_LINK_RE = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|/|#)([^"#]+\.md)(#[^"]*)?"')


def on_page_content(content, page, config, files):
    """A lab links to its chapter as in Markdown, ``[chapter 4.1](../sft.md)``, relative to the
    notebook's own file; mkdocs-jupyter leaves such links alone, so point them at the chapter's
    page here. A link to a file that does not exist is left as it is, for the link check to name."""
    if not _is_lab(page.file):
        return content

    def repl(m):
        target = files.get_file_from_path(posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), m.group(1))))
        if target is None or not target.is_documentation_page():
            return m.group(0)
        return f'href="{target.url_relative_to(page.file)}{m.group(2) or ""}"'

    return MD_LINK_RE.sub(repl, content)


MARKDOWN_CELL_RE = re.compile(r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>.*?</div>', re.S)


@event_priority(100)  # before Material's search plugin indexes the page
def on_page_context(context, page, config, nav):
    """Index only a lab's Markdown cells. A search for a topic should land on the prose that
    teaches it, the index stays small enough to load on every page, and the indexer does not
    parse hundreds of kilobytes of highlighted code and output per lab on every build.
    search_restore.py puts the full page back before the template renders it."""
    if _is_lab(page.file):
        page.lab_full_content = page.content
        page.content = "\n".join(MARKDOWN_CELL_RE.findall(page.content))
    return context


def _shared_css(inline: list[str]) -> str:
    # nbconvert's Pygments rules (.highlight-ipynb) would override Material's code colours, which
    # follow the light/dark palette; cells also carry the .highlight class, so Material's apply.
    inline = [css for css in inline if ".highlight-ipynb" not in css]
    dark = (ASSETS / "theme-dark.css").read_text()
    dark = dark.replace(".jupyter-wrapper{", '[data-md-color-scheme="slate"] .jupyter-wrapper{', 1)
    return "\n".join(inline) + "\n" + dark + "\n"


def _notebook_script(script: str) -> bool:
    """nbconvert's loaders and mkdocs-jupyter's clipboard element, not the theme's own scripts."""
    low = script.lower()
    if 'id="__config"' in low or "assets/javascripts/" in low:
        return False  # Material's configuration and bundle
    return (
        "cdnjs.cloudflare.com" in low
        or "mathjax" in low
        or 'src=""' in low
        or "clipboardcopyelement" in low
        or "'clipboard-copy'" in low
    )


def _lean_cells(output: str) -> str:
    """Drop mkdocs-jupyter's per-cell copy widgets and put code in <pre><code> for Material's."""
    output = CLIPBOARD_RE.sub("", output)
    output = CLIPBOARD_TXT_RE.sub("", output)

    def lean(code: str) -> str:
        code = STRING_CLASS_RE.sub('<span class="s">', PLAIN_SPAN_RE.sub(r"\1", code))
        while True:
            merged = ADJACENT_SPAN_RE.sub(r'<span class="\1">\2\3</span>', code)
            if merged == code:
                return code
            code = merged

    return CELL_CODE_RE.sub(lambda m: m.group(1) + "<code>" + lean(m.group(2)) + "</code>" + m.group(3), output)


def on_post_page(output, page, config):
    if not _is_lab(page.file):
        return output
    inline = STYLE_RE.findall(output)
    css = _shared_css(inline)
    digest = hashlib.sha256(css.encode()).hexdigest()[:12]
    href_rel = f"{CSS_DIR}/jupyter.{digest}.css"
    site = Path(config["site_dir"])
    if digest not in _css_written:
        (site / CSS_DIR).mkdir(parents=True, exist_ok=True)
        (site / href_rel).write_text(css)
        _css_written.add(digest)
    output = STYLE_RE.sub("", output)
    # nbconvert's MathJax and Mermaid loaders point at CDNs; math is MathML here, and labs draw
    # no Mermaid diagrams, so both go.
    output = MATHJAX_BLOCK_RE.sub("", output)
    output = SCRIPT_RE.sub(lambda m: "" if _notebook_script(m.group(0)) else m.group(0), output)
    output = _lean_cells(output)
    depth = page.url.count("/")
    link = f'<link rel="stylesheet" href="{"../" * depth}{href_rel}">'
    output = output.replace("</head>", link + "\n</head>", 1)
    dest = Path(page.file.abs_dest_path).parent / Path(page.file.src_uri).name
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sources[page.file.src_uri], dest)
    return output
