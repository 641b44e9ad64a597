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
  if el.classes:includes("src-tag") then
    return {raw("#srctag["), el, raw("]")}
  end
  if el.classes:includes("figure-derived") then
    -- build/derived.csv marks the figure as computed here; the PDF says so as the HTML does.
    return {el, raw("#derivedtag[derived]")}
  end
  return el
end

local DIV_FUNCS = {
  {"entry", "entry"},
  {"source-text", "sourcetext"},
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
      return raw('#image("' .. src .. '", alt: "' .. alt .. '")')
    end,
  })
end

return {{Span = span, Link = link, Div = div}, {Figure = figure}}
