"""The declared pipeline: stages with inputs and outputs, the runner, caching and publishing."""
