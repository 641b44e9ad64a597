-- Embedded engine only (Quarto has its own crossref): number figures, tables and
-- sections, turn @fig-/@tbl-/@sec- citations into numbered links, and fail the build
-- on any reference or citation key that does not resolve. Quarto merely warns.

local PREFIX = {fig = "Figure", tbl = "Table", sec = "Section"}
local targets = {}   -- id -> {kind, number}
local problems = {}

local function kind_of(id)
  local kind = id:match("^(%a+)%-")
  if kind and PREFIX[kind] then
    return kind
  end
  return nil
end

local function fail(msg)
  table.insert(problems, msg)
end

local function bibliography_ids(doc)
  -- Keys of every cited work the bibliography holds, whatever its format (.bib, .yaml, CSL JSON).
  -- A root-absolute path ("/refs.bib", as typst is given it) is read from the project root.
  local ids = {}
  local bib = doc.meta.bibliography
  if bib == nil then
    return ids
  end
  local files = pandoc.utils.type(bib) == "List" and bib or {bib}
  local local_paths = pandoc.List({})
  for _, f in ipairs(files) do
    local path = pandoc.utils.stringify(f):gsub("^/", "")
    local handle = io.open(path, "r")
    if handle == nil then
      fail("bibliography " .. path .. " cannot be read")
    else
      handle:close()
      local_paths:insert(path)
    end
  end
  local probe = pandoc.Pandoc(doc.blocks, doc.meta)
  probe.meta.bibliography = local_paths
  local ok, refs = pcall(pandoc.utils.references, probe)
  if not ok then
    fail("bibliography cannot be parsed: " .. tostring(refs))
    return ids
  end
  for _, item in ipairs(refs) do
    ids[item.id] = true
  end
  return ids
end

local function number_targets(doc)
  local counts = {fig = 0, tbl = 0}
  local levels = {}
  doc:walk({
    traverse = "topdown",
    Header = function(h)
      if h.classes:includes("unnumbered") then
        if kind_of(h.identifier) == "sec" then
          targets[h.identifier] = {kind = "sec", text = pandoc.utils.stringify(h.content)}
        end
        return nil
      end
      levels[h.level] = (levels[h.level] or 0) + 1
      for l = h.level + 1, 9 do
        levels[l] = nil
      end
      local parts = {}
      for l = 1, h.level do
        table.insert(parts, tostring(levels[l] or 0))
      end
      if kind_of(h.identifier) == "sec" then
        targets[h.identifier] = {kind = "sec", number = table.concat(parts, ".")}
      end
    end,
    Figure = function(f)
      if kind_of(f.identifier) ~= "fig" then
        fail("figure without a #fig- id (every figure must be numbered and referenced): "
          .. pandoc.utils.stringify(f.caption.long):sub(1, 60))
        return nil
      end
      if targets[f.identifier] then
        fail("duplicate figure id " .. f.identifier)
      end
      counts.fig = counts.fig + 1
      targets[f.identifier] = {kind = "fig", number = tostring(counts.fig)}
    end,
    Table = function(t)
      if kind_of(t.identifier) == "tbl" then
        counts.tbl = counts.tbl + 1
        targets[t.identifier] = {kind = "tbl", number = tostring(counts.tbl)}
      end
    end,
  })
end

local function ref_text(id)
  local t = targets[id]
  if t.number then
    return PREFIX[t.kind] .. "\u{a0}" .. t.number
  end
  return "“" .. t.text .. "”"
end

local function resolve(cite, bib)
  local out = pandoc.Inlines({})
  local refs = 0
  for i, c in ipairs(cite.citations) do
    if kind_of(c.id) then
      refs = refs + 1
      if not targets[c.id] then
        fail("unknown cross-reference @" .. c.id)
      else
        if i > 1 then
          out:insert(pandoc.Str(", "))
        end
        out:extend(c.prefix)
        out:insert(pandoc.Link({pandoc.Str(ref_text(c.id))}, "#" .. c.id, "", pandoc.Attr("", {"xref"})))
        out:extend(c.suffix)
      end
    elseif not bib[c.id] then
      fail("unknown citation key @" .. c.id .. " (not in the bibliography)")
    end
  end
  if refs == 0 then
    return nil
  end
  if refs < #cite.citations then
    fail("a citation mixes cross-references and sources: " .. pandoc.utils.stringify(cite.content))
  end
  return out
end

local function figure_alt(fig)
  -- Quarto's fig-alt: the image's alt text, separate from the visible caption.
  return fig:walk({
    Image = function(img)
      local alt = img.attributes["fig-alt"]
      if alt then
        img.attributes["fig-alt"] = nil
        img.caption = {pandoc.Str(alt)}
      end
      return img
    end,
  })
end

local function caption_prefix(fig)
  -- Typst numbers its own figures in the same order; HTML needs the label in text.
  if FORMAT:match("html") and targets[fig.identifier] then
    local first = fig.caption.long[1]
    if first and first.content then
      local label = pandoc.Inlines({pandoc.Str(PREFIX.fig .. "\u{a0}" .. targets[fig.identifier].number .. ":"), pandoc.Space()})
      label:extend(first.content)
      first.content = label
    end
  end
  return fig
end

function Pandoc(doc)
  number_targets(doc)
  local bib = bibliography_ids(doc)
  doc = doc:walk({
    Cite = function(cite)
      return resolve(cite, bib)
    end,
    Figure = function(fig)
      return caption_prefix(figure_alt(fig))
    end,
    Image = function(img)
      -- The engine compiles typst with the project root as typst's root, from a
      -- scratch folder; root-absolute paths keep images resolvable from there.
      if FORMAT == "typst" and not img.src:match("^/") and not img.src:match("^%a+:") then
        img.src = "/" .. img.src
        return img
      end
    end,
  })
  if #problems > 0 then
    for _, p in ipairs(problems) do
      io.stderr:write("crossref: " .. p .. "\n")
    end
    error("crossref: " .. #problems .. " unresolved reference(s)")
  end
  return doc
end
