"""Read-only REST API v1 and open-data downloads of the observatory (issue 4, items 2 and 3)."""
