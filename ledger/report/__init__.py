"""Report: yearly scorecards, forecaster pages, a comparison and an index, as Markdown and HTML."""
