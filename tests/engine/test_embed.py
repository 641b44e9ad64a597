"""The engine's embedding gives the page pandoc's --embed-resources gives, and leaves to pandoc what it does not do."""
from __future__ import annotations

import html
import re
import subprocess

import pytest

from exodus.engine import embed, render
from tests.conftest import REPO

PNG = REPO / "figures" / "mobilisation.png"
DOC = """# A heading

![A chart's "alt" text, with 'quotes' & more](chart.png){#fig-x}

<script>var s = '<img src="not-a-file.png">';</script>

<!-- <img src="not-a-file-either.png"> -->

[the PDF](report.pdf)
"""


def normalised(page: str) -> str:
    """The page as a reader's browser sees it: entities decoded, CSS comments and spacing dropped."""
    page = re.sub(r"<style\b[^>]*>.*?</style>", lambda m: re.sub(r"/\*.*?\*/", "", m.group(0), flags=re.S),
                  page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(page))


def pandoc(tmp_path, *extra: str) -> str:
    done = subprocess.run([render.pandoc_path(), "doc.md", "--standalone", "--css", str(tmp_path / "style.css"),
                           "--include-after-body", "after.html", *extra], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    return done.stdout


@pytest.fixture
def page_dir(tmp_path):
    (tmp_path / "doc.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "chart.png").write_bytes(PNG.read_bytes())
    (tmp_path / "style.css").write_text("/* the look */\nbody { color: #222; }\n", encoding="utf-8")
    (tmp_path / "after.html").write_text('<script src="tips.js"></script>\n', encoding="utf-8")
    (tmp_path / "tips.js").write_text("window.tips = 1;\n", encoding="utf-8")
    return tmp_path


def test_inlining_gives_the_page_pandoc_embeds(page_dir):
    ours = embed.inline(pandoc(page_dir), [page_dir])
    theirs = pandoc(page_dir, "--embed-resources")
    assert normalised(ours) == normalised(theirs)
    assert 'src="data:image/png;base64,' in ours and "window.tips = 1;" in ours and "color: #222" in ours
    assert 'href="report.pdf"' in ours  # a link to a file is not a file the page loads


def test_text_inside_scripts_and_comments_is_left_alone(page_dir):
    ours = embed.inline(pandoc(page_dir), [page_dir])
    assert '<img src="not-a-file.png">' in ours and '<img src="not-a-file-either.png">' in ours


@pytest.mark.parametrize("tag,files", [
    ('<video src="clip.mp4"></video>', {"clip.mp4": b"\0"}),
    ('<img src="chart.svg">', {"chart.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}),
    ('<img src="missing.png">', {}),
    ('<link rel="stylesheet" href="more.css">', {"more.css": b"body { background: url(bg.png); }"}),
    ('<link rel="icon" href="icon.png">', {"icon.png": PNG.read_bytes()}),
    ('<link rel="stylesheet" href="print.css" media="print">', {"print.css": b"body { color: #000; }"}),
    ('<script src="late.js" defer></script>', {"late.js": b"window.x = 1;"}),
])
def test_what_the_engine_does_not_embed_is_left_to_pandoc(tmp_path, tag, files):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(embed.Unsupported):
        embed.inline(f"<html><body>{tag}</body></html>", [tmp_path])


def test_the_engine_falls_back_to_pandoc_when_a_page_needs_more(page_dir, monkeypatch):
    def refuse(page, roots):
        raise embed.Unsupported("test")
    monkeypatch.setattr(embed, "inline", refuse)
    out = page_dir / "out.html"
    args = [str(page_dir / "doc.md"), "--from", "markdown", f"--resource-path={page_dir}"]
    render.write_html(args, ["--standalone", "--to", "html5", "--embed-resources", "--css", str(page_dir / "style.css")],
                      out, page_dir, [])
    assert 'src="data:image/png;base64,' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("tag", ['<IMG SRC="chart.png">', '<img\n  alt="x"\n  src = "chart.png">', '<object data="x.bin"></object>',
                                 "<img srcset='chart.png 2x'>", '<svg><image xlink:href="chart.png"/></svg>'])
def test_a_tag_that_loads_a_file_is_read_however_its_attributes_are_written(tmp_path, tag):
    (tmp_path / "chart.png").write_bytes(PNG.read_bytes())
    (tmp_path / "x.bin").write_bytes(b"\0")
    page = f'<html><body><span class="a" data-x="src=chart.png">t</span><a href="chart.png">l</a>{tag}</body></html>'
    try:
        ours = embed.inline(page, [tmp_path])
    except embed.Unsupported:
        return  # left to pandoc: nothing was passed over
    assert "data:image/png;base64," in ours and '<a href="chart.png">' in ours and 'data-x="src=chart.png"' in ours
