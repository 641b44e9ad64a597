"""A Quarto-compatible render engine on pandoc and typst; it imports nothing else from the project."""
