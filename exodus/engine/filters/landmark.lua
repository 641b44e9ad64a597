-- The page's content in a <main> landmark, as Quarto's HTML template has it (id and class as Quarto's),
-- so screen readers can jump past the title and contents. Only HTML output; Quarto does this itself.

function Pandoc(doc)
  if not FORMAT:match("html") then
    return nil
  end
  doc.blocks:insert(1, pandoc.RawBlock("html", '<main id="quarto-document-content" class="content">'))
  doc.blocks:insert(pandoc.RawBlock("html", "</main>"))
  return doc
end
