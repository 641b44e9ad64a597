"""Read _quarto.yml and translate the supported subset of options into pandoc arguments."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

PROJECT_FILE = "_quarto.yml"
ENGINE_KEYS = {"project", "format", "filters"}
# Options the engine honours, per format (the format's own and the common ones). Anything else in a format
# block is an error: silently ignoring a setting Quarto would apply makes the two renders drift apart.


def options(name: str) -> set[str]:
    from exodus.engine.formats import COMMON, FORMATS
    return COMMON | FORMATS[name].OPTIONS


class ConfigError(Exception):
    """_quarto.yml asks for something the embedded engine does not do."""


@dataclass
class Project:
    """The parts of _quarto.yml the engine uses."""

    root: Path
    pre_render: list[str]
    post_render: list[str]
    render: list[str]
    output_dir: str
    filters: list[str]
    formats: dict[str, dict]
    metadata: dict = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # formats in _quarto.yml the engine does not render


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def load(root: Path | None = None) -> Project:
    """Parse and check the project file."""
    root = Path(root or Path.cwd())
    path = root / PROJECT_FILE
    if not path.exists():
        raise ConfigError(f"{path} is missing")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    proj = data.get("project") or {}
    if proj.get("type", "default") != "default":
        raise ConfigError(f"{PROJECT_FILE}: project type {proj.get('type')!r}; the engine renders type default only")
    from exodus.engine.formats import FORMATS
    formats, skipped = {}, []
    for name, opts in (data.get("format") or {}).items():
        if name not in FORMATS:
            skipped.append(str(name))  # Quarto renders it; the engine renders the others
            continue
        opts = opts if isinstance(opts, dict) else {}
        unknown = sorted(set(opts) - options(name))
        if unknown:
            raise ConfigError(f"{PROJECT_FILE}: format {name}: unsupported option(s) {unknown}; "
                              f"supported: {sorted(options(name))}")
        formats[name] = opts
    filters = [f for f in as_list(data.get("filters")) if f != "quarto"]
    for f in filters:
        if not isinstance(f, str) or not (root / f).is_file():
            raise ConfigError(f"{PROJECT_FILE}: filter {f!r} is not a file in the project")
    metadata = {k: v for k, v in data.items() if k not in ENGINE_KEYS}
    return Project(root, [str(c) for c in as_list(proj.get("pre-render"))],
                   [str(c) for c in as_list(proj.get("post-render"))],
                   inputs(root, [str(r) for r in as_list(proj.get("render"))]) or ["report.qmd"],
                   str(proj.get("output-dir") or "."), filters, formats, metadata, skipped)


def inputs(root: Path, entries: list[str]) -> list[str]:
    """The render list with globs expanded as Quarto expands them (sorted; files whose name starts with
    '_' are never rendered), each input once, in the order first named."""
    out: list[str] = []
    for entry in entries:
        if any(c in entry for c in "*?["):
            found = sorted(str(p.relative_to(root)) for p in root.glob(entry) if p.is_file() and not p.name.startswith("_"))
        else:
            found = [entry]
        out += [f for f in found if f not in out]
    return out


def document_formats(project: Project, meta: dict) -> tuple[list[str], Project]:
    """The formats one document renders to, and the project as that document sees it.

    As in Quarto: a document whose front matter names formats renders to those only (its options
    merged over the project's); without a `format` key it renders to every project format."""
    given = meta.get("format")
    if not given:
        return list(project.formats), project
    named = {given: {}} if isinstance(given, str) else {k: (v if isinstance(v, dict) else {}) for k, v in given.items()}
    unknown = sorted(set(named) - set(project.formats))
    if unknown:
        raise ConfigError(f"format(s) {unknown} named by a document are not configured in {PROJECT_FILE}")
    formats = {**project.formats, **{k: {**project.formats[k], **v} for k, v in named.items()}}
    return [f for f in project.formats if f in named], replace(project, formats=formats)


def _files(root: Path, value, flag: str) -> list[str]:
    out = []
    for f in as_list(value):
        p = root / f
        if not p.is_file():
            raise ConfigError(f"{PROJECT_FILE}: {flag.lstrip('-')} file {f!r} does not exist")
        out += [flag, str(p)]
    return out


def pandoc_args(project: Project, fmt: str, meta: dict) -> tuple[list[str], dict]:
    """Writer arguments and extra template metadata for one format."""
    opts = {**{k: meta[k] for k in ("number-sections", "toc", "toc-depth", "link-citations") if k in meta},
            **project.formats.get(fmt, {})}
    root = project.root
    args = ["--standalone"]
    extra = {k: opts[k] for k in ("toc-title", "link-citations", "lang") if k in opts}
    if opts.get("toc"):
        args += ["--toc", f"--toc-depth={int(opts.get('toc-depth', 3))}"]
    for key, flag in (("include-in-header", "--include-in-header"),
                      ("include-before-body", "--include-before-body"),
                      ("include-after-body", "--include-after-body")):
        args += _files(root, opts.get(key), flag)
    from exodus.engine.formats import FORMATS
    own, own_extra = FORMATS[fmt].writer_args(opts, lambda value, flag: _files(root, value, flag))
    extra.update(own_extra)
    return args + own, extra


def font_paths(project: Project) -> list[str]:
    """Font folders for typst: exactly the typst format's `font-paths`, as Quarto passes them.

    System fonts are never searched (the compile passes ignore_system_fonts), so the PDF is the same on
    every machine and under Quarto, whose typst reads the same folders; a named folder that is missing or
    empty is an error (the pre-render writes it).
    """
    folders = [project.root / str(p) for p in as_list(project.formats.get("typst", {}).get("font-paths"))]
    for folder in folders:
        if not folder.is_dir() or not any(folder.iterdir()):
            raise ConfigError(f"_quarto.yml: typst font-paths names {rel(folder, project.root)}, which holds no "
                              "fonts: run the pre-render (make report) to copy them")
    return [str(f) for f in folders]


def rel(path: Path, root: Path) -> str:
    """A path as shown in messages: relative to the project root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)

