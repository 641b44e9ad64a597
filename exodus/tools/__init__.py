"""Commands for people who maintain the data: add a source, draft rows, benchmark."""
