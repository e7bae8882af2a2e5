"""The status report of an edition: SVG charts, the map of members, HTML in en/ar/fr and PDF (WeasyPrint)."""
