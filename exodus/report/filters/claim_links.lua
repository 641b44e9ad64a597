-- Give every claim/derived/event figure in the text a unique id (use-<kind>-<id>-<n>), which the
-- "Used in" links of its evidence entry land on, and point each figure at its evidence page in the HTML.
-- Runs in the embedded engine and, listed after `quarto` in _quarto.yml, in Quarto.
-- Only the body is walked: the metadata holds every variable's definition (Quarto keeps
-- _variables.yml there as _quarto-vars), and a definition is not a use.

local KINDS = {"claim", "derived", "event"}

local function figure_key(link)
  for _, kind in ipairs(KINDS) do
    local key = link.attributes["data-" .. kind]
    if key and key ~= "" then
      return kind .. "-" .. key
    end
  end
  return nil
end

-- In the HTML a figure's entry is on its evidence page (data-evidence, e.g. "evidence/<source>.html"); the
-- PDF keeps the in-document link to its line in the table of figures.
local function to_evidence(link)
  local page = link.attributes["data-evidence"]
  if page == nil then
    return false
  end
  link.attributes["data-evidence"] = nil
  if FORMAT:match("html") and page ~= "" then
    link.target = page .. link.target
  end
  return true
end

function Pandoc(doc)
  local uses = {}            -- "claim-x" -> number of uses so far
  doc.blocks = pandoc.Pandoc(doc.blocks):walk({
    traverse = "topdown",
    Link = function(link)
      local moved = to_evidence(link)
      local key = figure_key(link)
      if not key then
        return moved and link or nil
      end
      uses[key] = (uses[key] or 0) + 1
      -- The id sits on a wrapping span: typst labels need an element, HTML keeps the
      -- link itself free for the tooltip script. exodus/report/evidence.py numbers uses alike,
      -- for the "Used in" links of the evidence pages (the link check proves they land).
      return pandoc.Span({link}, pandoc.Attr("use-" .. key .. "-" .. uses[key], {"figure-use"})), false
    end,
  }).blocks
  return doc
end
