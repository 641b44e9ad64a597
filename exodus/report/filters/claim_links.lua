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

-- The folder the report is published in, from _quarto.yml's website: site-url (the report page's address
-- or its folder), as exodus/model/citations.py reads it; nil while the report has no published address.
local function published_folder(meta)
  local site = meta.website and meta.website["site-url"]
  site = site and pandoc.utils.stringify(site) or ""
  if site == "" then
    return nil
  end
  if not site:match("^https://[^%s\"'<>`\\]+$") then
    error("_quarto.yml: website site-url must be an https:// URL without spaces or quotes")
  end
  if site:match("%.html$") then
    return site:match("^(.*)/[^/]*$")
  end
  return (site:gsub("/+$", ""))
end

-- In the HTML a figure's entry is on its evidence page (data-evidence, e.g. "evidence/<source>.html"); the
-- PDF keeps the in-document link to its line in the table of figures. Word has neither the evidence pages
-- nor that table: its figure links go to the published evidence page, or, with no published address,
-- are plain text (returned as false: the caller keeps the words, not the link).
local function to_evidence(link, folder)
  local page = link.attributes["data-evidence"]
  if page == nil then
    return nil
  end
  link.attributes["data-evidence"] = nil
  if FORMAT:match("html") and page ~= "" then
    link.target = page .. link.target
  elseif FORMAT == "docx" then
    if not folder or page == "" then
      return false
    end
    link.target = folder .. "/" .. page .. link.target
  end
  return true
end

-- Word's note on the evidence pages: the div for a published report or the one for an unpublished one
-- (report.qmd words both), and the published one's link made absolute.
local function evidence_note(div, folder)
  if div.classes:includes("evidence-note-published") then
    if not folder then
      return {}
    end
    return div:walk({Link = function(link) to_evidence(link, folder); return link end})
  end
  if div.classes:includes("evidence-note-unpublished") then
    return folder and {} or div
  end
  return nil
end

function Pandoc(doc)
  local uses = {}            -- "claim-x" -> number of uses so far
  local folder = published_folder(doc.meta)
  doc.blocks = pandoc.Pandoc(doc.blocks):walk({
    traverse = "topdown",
    Div = function(div)
      local note = evidence_note(div, folder)
      if note ~= nil then
        return note, false
      end
    end,
    Link = function(link)
      local moved = to_evidence(link, folder)
      local key = figure_key(link)
      local shown = moved == false and link.content or {link}
      if not key then
        if moved == nil then
          return nil
        end
        return moved and link or link.content
      end
      uses[key] = (uses[key] or 0) + 1
      -- The id sits on a wrapping span: typst labels need an element, HTML keeps the
      -- link itself free for the tooltip script. exodus/report/evidence.py numbers uses alike,
      -- for the "Used in" links of the evidence pages (the link check proves they land).
      return pandoc.Span(shown, pandoc.Attr("use-" .. key .. "-" .. uses[key], {"figure-use"})), false
    end,
  }).blocks
  return doc
end
