"""Charts: the rows each plots, the drawing, its text and the files written for it."""
