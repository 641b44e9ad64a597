"""A seam per format: each format the engine renders is one module; one it does not is skipped, never a
failure of the others; DOCX renders as Quarto would render it."""
import zipfile

import pytest
import yaml

from exodus.engine import project, render
from exodus.engine.formats import FORMATS

DOC = """---
title: A small report
---

# Counts {#sec-counts}

Nearly 100,000 people entered.

![A chart](chart){#fig-chart}
"""


def tiny_project(root, formats: dict):
    root.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(yaml.safe_dump({"project": {"type": "default", "output-dir": "_output"},
                                                      "format": formats}), encoding="utf-8")
    (root / "report.qmd").write_text(DOC, encoding="utf-8")
    png = "89504e470d0a1a0a0000000d4948445200000001000000010806000000" \
          "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    (root / "chart.png").write_bytes(bytes.fromhex(png))
    return root


def test_a_format_the_engine_does_not_render_is_skipped_with_one_line(tmp_path):
    root = tiny_project(tmp_path / "p", {"html": {}, "revealjs": {"incremental": True}})
    proj = project.load(root)
    assert list(proj.formats) == ["html"] and proj.skipped == ["revealjs"]
    notes = render.skipped_notes(proj)
    assert len(notes) == 1 and "'revealjs'" in notes[0] and "Quarto renders it" in notes[0]
    written = render.render(pre_render=False, root=root)
    assert [p.name for p in written] == ["report.html"]


def test_an_option_a_format_does_not_honour_names_the_format(tmp_path):
    root = tiny_project(tmp_path / "p", {"docx": {"code-fold": True}})
    with pytest.raises(project.ConfigError, match=r"format docx: unsupported option\(s\) \['code-fold'\]"):
        project.load(root)


def test_docx_renders_the_text_the_heading_and_the_picture(tmp_path):
    root = tiny_project(tmp_path / "p", {"docx": {"number-sections": True, "default-image-extension": "png"}})
    written = render.render(["docx"], pre_render=False, root=root)
    assert [p.name for p in written] == ["report.docx"]
    with zipfile.ZipFile(written[0]) as z:
        body = z.read("word/document.xml").decode("utf-8")
        assert any(n.startswith("word/media/") for n in z.namelist())
    assert "Nearly 100,000 people entered." in body and "Counts" in body


def test_every_format_module_has_the_whole_seam():
    for name, module in FORMATS.items():
        assert module.NAME == name
        for part in ("writer_args", "metadata", "variables", "write"):
            assert callable(getattr(module, part)), (name, part)
        assert isinstance(module.OPTIONS, set) and isinstance(module.CITEPROC, bool)


def test_docx_bytes_do_not_depend_on_when_it_was_rendered(tmp_path):
    import time
    made = []
    for n in range(2):
        root = tiny_project(tmp_path / f"p{n}", {"docx": {"default-image-extension": "png"}})
        made.append(render.render(["docx"], pre_render=False, root=root)[0].read_bytes())
        time.sleep(1.1)  # the zip's times and docProps have a one-second grain
    assert made[0] == made[1]
