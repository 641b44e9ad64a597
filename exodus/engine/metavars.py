"""The project variables as pandoc reads them into a document's metadata, read in pieces once per render."""
from __future__ import annotations

import concurrent.futures
import json
import os
import tempfile

from exodus.engine import parse

PIECE = 300  # variables per reading: an edit re-reads one piece, not every variable of the report
KEY = "_quarto-vars"


def leaves(tree: dict, path: tuple = ()) -> list[tuple[tuple, object]]:
    """(key path, value) of every value that is not a non-empty mapping, in order."""
    out = []
    for k, v in tree.items():
        if isinstance(v, dict) and v:
            out += leaves(v, (*path, k))
        else:
            out.append(((*path, k), v))
    return out


def nested(pairs: list[tuple[tuple, object]]) -> dict:
    """The mapping the (key path, value) pairs make."""
    out: dict = {}
    for path, value in pairs:
        node = out
        for k in path[:-1]:
            node = node.setdefault(k, {})
        node[path[-1]] = value
    return out


def merge(a: dict, b: dict) -> dict:
    """Two pandoc MetaMaps as one: maps under the same key merged, as the pieces were cut from one mapping."""
    out = dict(a["c"])
    for k, v in b["c"].items():
        both = k in out and out[k].get("t") == "MetaMap" and v.get("t") == "MetaMap"
        out[k] = merge(out[k], v) if both else v
    return {"t": "MetaMap", "c": out}


def read(variables: dict, reader: parse.Reader, dump) -> dict:
    """`variables` as the MetaValue pandoc puts under _quarto-vars when it reads them from a metadata file
    (`dump` writes that file's YAML): each piece of PIECE values read once and kept by its text, like a chunk."""
    pairs = leaves(variables)
    texts = [dump({KEY: nested(pairs[i:i + PIECE])}) for i in range(0, len(pairs), PIECE)]
    if len(texts) > 1 and any("@" in t for t in texts):  # pandoc numbers citations across the metadata
        texts = [dump({KEY: variables})]
    keys = [reader.key("metadata\0" + t) for t in texts]
    missing = [(k, t) for k, t in zip(keys, texts) if parse._stored(reader, k, t) is None]
    with concurrent.futures.ThreadPoolExecutor(max_workers=parse.BATCHES) as pool:
        for (k, _), (value, api) in zip(missing, pool.map(lambda kt: _pandoc(reader, kt[1]), missing)):
            parse._store(reader, k, parse.record([value], api))
    value = {"t": "MetaMap", "c": {}}
    for k, t in zip(keys, texts):
        rec = parse._stored(reader, k, t)
        value = merge(value, json.loads(rec["blocks"])[0]) if rec else value
    return value


def _pandoc(reader: parse.Reader, text: str) -> tuple[dict, list]:
    """One piece's metadata file read by pandoc: its _quarto-vars value and pandoc's API version."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8", delete=False) as fh:
        fh.write(text)
    try:
        doc = json.loads(parse._pandoc(reader, "", "--metadata-file", fh.name))
    finally:
        os.unlink(fh.name)
    return doc["meta"][KEY], doc["pandoc-api-version"]


def inject(source: str, value: dict) -> str:
    """A document's JSON with the variables in its metadata, where a metadata file would have put them."""
    doc = json.loads(source)
    doc["meta"][KEY] = value
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
