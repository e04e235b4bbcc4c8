"""The documentation runs: every ```python block of every docs/*.md page, in order.

Each page runs in a fresh namespace inside a temporary working directory (so
the files it writes go there), with the Agg backend. A failing block is
reported with its page and line number.
"""

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(DOCS.glob("*.md"))
# A block opens with a line of exactly ```python and closes at the next ``` line.
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The ```python blocks of a markdown text with the line number of their first line."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in BLOCK.finditer(text)]


def test_block_extraction():
    text = "# T\n\n```python\nx = 1\n```\n\ntext\n\n```bash\nls\n```\n```python\ny = x\n```\n"
    assert python_blocks(text) == [(4, "x = 1\n"), (13, "y = x\n")]


def test_there_are_pages():
    names = {page.name for page in PAGES}
    assert {"tutorial_hierarchical_ddm.md", "pooling.md", "coming_from_hssm.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_page_runs(page, tmp_path, monkeypatch):
    blocks = python_blocks(page.read_text())
    if not blocks:
        pytest.skip(f"{page.name} has no python blocks")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": f"docs_{page.stem}"}
    try:
        for line, source in blocks:
            code = compile("\n" * (line - 1) + source, str(page), "exec")
            exec(code, namespace)
    finally:
        plt.close("all")
