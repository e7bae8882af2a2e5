"""compindex: a composite-indicator engine following the OECD/JRC *Handbook on Constructing Composite
Indicators* (2008) and the conventions of the JRC R package COINr.

It is a library of its own (numpy, pandas, scipy only) and never imports Django (DESIGN.md §4).

Stages, each usable alone: :func:`latest_within_window` and :func:`denominate` (data selection),
:func:`screen_coverage`, :func:`impute` (Handbook Step 4), :class:`Treater` (outlier treatment),
:class:`Normaliser` (Step 6), :func:`pca_weights`, :func:`effective_weights`, :func:`aggregate` (Step 7),
:func:`competition_rank`. :func:`run_index` chains them
into one recorded run.
"""
from __future__ import annotations

from . import audit, panel, peers, targets, uncertainty, whatif
from .aggregation import AGGREGATION_METHODS, aggregate, competition_rank
from .errors import CompindexError
from .framework import Area, Framework, IndicatorSpec
from .imputation import check_observed_unchanged, fill_years, impute, knn_impute
from .normalisation import NORMALISATION_METHODS, Normaliser, n_goalposts, n_minmax, n_zscore
from .pipeline import IndexRun, run_index
from .selection import CoverageResult, check_panel, denominate, latest_within_window, screen_coverage, to_wide
from .treatment import (
    TRANSFORMS,
    Treater,
    apply_transform,
    check_skew_kurt,
    fit_transform_params,
    kurtosis,
    log_ct,
    skewness,
    winsorise,
)
from .weights import (
    WEIGHT_METHODS,
    OptimisedWeights,
    effective_weights,
    first_component,
    optimise_weights,
    pca_weights,
)

__version__ = "0.1.0"

__all__ = [
    "AGGREGATION_METHODS",
    "NORMALISATION_METHODS",
    "TRANSFORMS",
    "WEIGHT_METHODS",
    "Area",
    "CompindexError",
    "CoverageResult",
    "Framework",
    "IndexRun",
    "IndicatorSpec",
    "Normaliser",
    "OptimisedWeights",
    "Treater",
    "aggregate",
    "apply_transform",
    "audit",
    "check_observed_unchanged",
    "check_panel",
    "check_skew_kurt",
    "competition_rank",
    "denominate",
    "effective_weights",
    "fill_years",
    "first_component",
    "fit_transform_params",
    "impute",
    "knn_impute",
    "kurtosis",
    "latest_within_window",
    "log_ct",
    "n_goalposts",
    "n_minmax",
    "n_zscore",
    "optimise_weights",
    "panel",
    "pca_weights",
    "peers",
    "run_index",
    "screen_coverage",
    "skewness",
    "targets",
    "to_wide",
    "uncertainty",
    "whatif",
    "winsorise",
]
