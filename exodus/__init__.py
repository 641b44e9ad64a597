"""Pipeline stages that turn five news articles into a traceable report."""
