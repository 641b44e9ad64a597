"""The data model and its vocabulary: tables, figures as written, intervals, units, wording."""
