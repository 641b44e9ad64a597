"""The formats the engine renders, one module each; a format not listed here is skipped (Quarto renders it).

A format module has NAME; OPTIONS, the _quarto.yml keys it honours beyond COMMON; CITEPROC, whether
pandoc's citeproc runs by default; writer_args(opts, files), its pandoc writer arguments and template
metadata; metadata(opts, meta, citeproc), its document metadata; variables(meta, citeproc), its template
variables; key_inputs(proj), the folders and words its output rests on beyond what every format's does
(see outcache.output_key); and write(job), its writer and post-step, returning the files to publish.
"""
from __future__ import annotations

from collections import namedtuple

from exodus.engine.formats import docx, html, typst

FORMATS = {m.NAME: m for m in (html, typst, docx)}
# Options every format shares, read from the document or the project before the format's own block.
COMMON = {"citeproc", "toc", "toc-depth", "toc-title", "number-sections", "include-in-header",
          "include-before-body", "include-after-body", "link-citations", "lang", "default-image-extension",
          "fig-align"}

# What a format's write() is handed: pandoc's reading arguments and the writer's, the scratch folder and
# file stem, the project, the format's metadata and its file, the document as read (JSON), the cache
# folder (or None), run(args) to run pandoc (errors located in the source), and timed(step).
Job = namedtuple("Job", "args writer_args scratch stem proj meta meta_file source cache run timed")
