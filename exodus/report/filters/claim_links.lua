-- Give every claim/derived/event figure in the text a unique id and list those uses
-- (by section) in the figure's appendix entry, so each entry links back to its uses.
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

function Pandoc(doc)
  local uses = {}            -- "claim-x" -> list of {id, section}
  local per_section = {}     -- "claim-x\0section" -> count, to label repeat uses
  local section = "Opening"  -- uses before the first heading

  local body = pandoc.Pandoc(doc.blocks):walk({
    traverse = "topdown",
    Header = function(h)
      section = pandoc.utils.stringify(h.content)
    end,
    Link = function(link)
      local key = figure_key(link)
      if not key then
        return nil
      end
      uses[key] = uses[key] or {}
      local n = #uses[key] + 1
      local id = "use-" .. key .. "-" .. n
      local seen = (per_section[key .. "\0" .. section] or 0) + 1
      per_section[key .. "\0" .. section] = seen
      local label = section
      if seen > 1 then
        label = label .. " (" .. seen .. ")"
      end
      table.insert(uses[key], {id = id, label = label})
      -- The id sits on a wrapping span: typst labels need an element, HTML keeps the
      -- link itself free for the tooltip script.
      return pandoc.Span({link}, pandoc.Attr(id, {"figure-use"})), false
    end,
  })

  doc.blocks = body:walk({
    Span = function(span)
      local key = span.attributes["data-backlinks"]
      if not span.classes:includes("backlinks") or not key then
        return nil
      end
      local list = uses[key] or {}
      local out = pandoc.Inlines({})
      if #list == 0 then
        out:insert(pandoc.Emph({pandoc.Str("not used in the report text")}))
      end
      for i, use in ipairs(list) do
        if i > 1 then
          out:insert(pandoc.Str(","))
          out:insert(pandoc.Space())
        end
        out:insert(pandoc.Link({pandoc.Str(use.label)}, "#" .. use.id, "", pandoc.Attr("", {"backlink"})))
      end
      span.content = out
      return span
    end,
  }).blocks
  return doc
end
