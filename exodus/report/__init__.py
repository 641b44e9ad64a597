"""Stages that write what the report reads: variables, bibliography, appendices, citations, lint."""
