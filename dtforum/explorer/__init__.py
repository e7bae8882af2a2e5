"""Indicator explorer, comparison of members, methodology and what-if pages of the observatory."""
