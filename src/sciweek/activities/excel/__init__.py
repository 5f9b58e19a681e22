"""Excel import and export of activities: the downloadable template, the importer (dry run, then
drafts) and the exporter (the filing-form layout and the full layout).

The headers and cell values are Chinese data (the city's filing form is Chinese), not UI text,
so they are literal strings here rather than gettext.
"""
