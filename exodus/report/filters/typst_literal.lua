-- Typst output only: render curated text as typst strings (never markup) and map the
-- report's styling classes onto functions defined in assets/report-header.typ.

if FORMAT ~= "typst" then
  return {}
end

-- A typst string literal shows its characters as they are: no markup, no smart
-- quotes, no "..." shorthand. The trailing ';' ends the expression so following
-- text such as "(" or "." is never read as a call or field access.
local function typst_string(s)
  return '#"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"') .. '";'
end

local function literalise(el)
  return el:walk({
    Str = function(s)
      return pandoc.RawInline("typst", typst_string(s.text))
    end,
  })
end

-- Ordered lists (not tables keyed by class) so output never depends on hash order.
local SPAN_FUNCS = {
  {"hl-claim", "hlclaim"},
  {"hl-person", "hlperson"},
  {"hl-event", "hlevent"},
  {"field-label", "fieldlabel"},
  {"entry-figure", "entryfigure"},
  {"derived-label", "derivedlabel"},
  {"cite-line", "citeline"},
}

local function raw(s)
  return pandoc.RawInline("typst", s)
end

local function label(id)
  if id ~= nil and id ~= "" then
    return "<" .. id .. ">"
  end
  return ""
end

local function span(el)
  if el.classes:includes("literal") then
    el = literalise(el)
  end
  if #el.content == 0 and el.identifier ~= "" then
    -- An anchor with no text: metadata is an invisible element a link can target.
    return raw("#metadata(none)" .. label(el.identifier))
  end
  for _, pair in ipairs(SPAN_FUNCS) do
    local class, func = pair[1], pair[2]
    if el.classes:includes(class) then
      local out = pandoc.Inlines({raw("#" .. func .. "[")})
      out:extend(el.content)
      out:insert(raw("]" .. label(el.identifier)))
      return out
    end
  end
  return el
end

local function link(el)
  if el.classes:includes("literal") then
    el = literalise(el)
  end
  if el.classes:includes("derived-shared") then
    return el  -- its passage says once that its counts are derived (see derived_together)
  end
  if el.classes:includes("src-tag") then
    return {raw("#srctag["), el, raw("]")}
  end
  if el.classes:includes("derived") then
    -- A derived figure is labelled where it is used, as in the HTML.
    return {el, raw("#derivedmark()")}
  end
  return el
end

local DIV_FUNCS = {
  {"entry", "entry"},
  {"source-text", "sourcetext"},
  {"bottom-line", "bottomline"},
}

local function div(el)
  if el.classes:includes("literal") then
    el = literalise(el)
  end
  for _, pair in ipairs(DIV_FUNCS) do
    local class, func = pair[1], pair[2]
    if el.classes:includes(class) then
      local out = pandoc.Blocks({pandoc.RawBlock("typst", "#" .. func .. "[")})
      out:extend(el.content)
      out:insert(pandoc.RawBlock("typst", "]" .. label(el.identifier)))
      return out
    end
  end
  return el
end

-- Height over width of an SVG chart, from its own header; nil when it cannot be read.
local function svg_ratio(src)
  -- A root-absolute path (as typst is given it) is read from the project root, where pandoc runs.
  local handle = io.open((src:gsub("^/", "")), "r")
  if handle == nil then
    return nil
  end
  local head = handle:read(2000) or ""
  handle:close()
  local w = tonumber(head:match('<svg[^>]-width="([%d.]+)'))
  local h = tonumber(head:match('<svg[^>]-height="([%d.]+)'))
  return (w and h and w > 0) and h / w or nil
end

-- A chart taller than the page can hold beside its caption is scaled down to fit, never cut.
local MAX_RATIO = 1.05
local MAX_HEIGHT = "16.5cm"

-- A figure's image carries its alt text into the PDF (pandoc's typst writer drops it): Quarto's
-- fig-alt, or the alt the engine's crossref filter has already moved into the image description.
local function figure(fig)
  return fig:walk({
    Image = function(img)
      local alt = img.attributes["fig-alt"] or pandoc.utils.stringify(img.caption)
      if alt == "" then
        return nil
      end
      local src = img.src:gsub("\\", "\\\\"):gsub('"', '\\"')
      alt = alt:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ")
      local ratio = svg_ratio(img.src) or svg_ratio(img.src .. ".svg")
      local size = (ratio and ratio > MAX_RATIO) and (', height: ' .. MAX_HEIGHT) or ""
      return raw('#image("' .. src .. '", alt: "' .. alt .. '"' .. size .. ')')
    end,
  })
end

-- A passage of many derived counts (the people section) says once that they are derived, with its own
-- label, instead of one mark per figure; its figures keep their dashed links.
local function derived_together(el)
  if not el.classes:includes("derived-together") then
    return nil
  end
  return el:walk({
    Link = function(l)
      if l.classes:includes("derived") then
        l.classes:insert("derived-shared")
      end
      return l
    end,
  })
end

return {{Div = derived_together}, {Span = span, Link = link, Div = div}, {Figure = figure}}
