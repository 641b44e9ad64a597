"""The stage contract: a stage is `run(ctx) -> str`, reading its inputs under ctx.root and writing its
outputs under ctx.scratch, which the runner publishes from; it raises StageError when it cannot."""
from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

_TREE = threading.Lock()  # stages running side by side (html, pdf) ask for the same tree


class StageError(Exception):
    """A stage cannot produce its outputs; the message says where and why."""


@dataclass
class Context:
    """One run of the pipeline: the root its inputs are read from, the scratch folder its outputs are
    written to (None: written in place, for checks and tests), its cache folder, the stage's code digest
    and what earlier stages left in memory."""

    root: Path
    memo: dict = field(default_factory=dict)
    code_digest: str = ""
    cache: Path | None = None
    scratch: Path | None = None
    inputs: tuple[str, ...] = ()  # the running stage's declared inputs (globs under the root)
    target: str = ""  # what the run builds (make report proves the chunked reading of the document)

    @property
    def out(self) -> Path:
        """The folder outputs are written under."""
        return Path(self.scratch or self.root)

    def input(self, rel: str) -> Path:
        """A declared input: an output made in this run when it is one, else the file under the root."""
        made = self.out / rel
        return made if made.exists() else Path(self.root) / rel

    def output(self, rel: str) -> Path:
        """Where a declared output is written (its folder made)."""
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def output_dir(self, rel: str) -> Path:
        """A folder of declared outputs (made)."""
        path = self.out / rel
        path.mkdir(parents=True, exist_ok=True)
        return path

    def tree(self) -> Path:
        """One folder holding this run's outputs and a copy of the stage's declared inputs, for a tool
        that reads a whole project from one folder (pandoc, typst, the policy check)."""
        if not self.scratch:
            return Path(self.root)
        with _TREE:
            self._copy_inputs()
        return self.out

    def _copy_inputs(self) -> None:
        from exodus.pipeline import fingerprint  # the walk that never follows a link (a loop would never end)

        found = fingerprint.matching(Path(self.root), self.inputs)
        links = [str(p.relative_to(self.root)) for p in found if p.is_symlink()]
        if links:
            raise StageError(f"{', '.join(links[:5])}: symbolic link(s) among the inputs; a build reads no input "
                             "through a link (it could name any file of the machine): replace each with the file")
        for src in found:
            dest = self.out / src.relative_to(self.root)
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)

    def for_stage(self, inputs: tuple[str, ...], digest: str = "") -> Context:
        """This run's context as one stage sees it: its declared inputs and code digest."""
        return Context(self.root, self.memo, digest, self.cache, self.scratch, tuple(inputs), self.target)
