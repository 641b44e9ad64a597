-- Quarto's conditional content, for the embedded engine: a Div or Span with class
-- .content-visible or .content-hidden and a when-format / unless-format attribute is
-- kept or dropped per output format, as Quarto does ("html" and "typst"; "pdf" means typst here).

local ALIASES = {html = {"html", "html4", "html5"}, typst = {"typst", "pdf"}}

local function current()
  if FORMAT:match("^html") then
    return "html"
  end
  return FORMAT
end

local function matches(value)
  if value == nil then
    return nil
  end
  for name in value:gmatch("[^%s,]+") do
    for _, alias in ipairs(ALIASES[current()] or {current()}) do
      if name == alias then
        return true
      end
    end
  end
  return false
end

-- true: keep, false: drop, nil: not conditional.
local function visible(el)
  local shown = el.classes:includes("content-visible")
  local hidden = el.classes:includes("content-hidden")
  if not (shown or hidden) then
    return nil
  end
  local when, unless = matches(el.attributes["when-format"]), matches(el.attributes["unless-format"])
  local hit = when
  if unless ~= nil then
    hit = (hit == nil or hit) and not unless
  end
  if hit == nil then
    return not hidden
  end
  return (shown and hit) or (hidden and not hit)
end

local function filter(el)
  local keep = visible(el)
  if keep == nil then
    return nil
  end
  if keep then
    return el.content
  end
  return {}
end

return {{Div = filter, Span = filter}}
