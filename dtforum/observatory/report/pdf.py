"""HTML to PDF with WeasyPrint, for worker processes: no Django import, so a ``spawn`` child starts light.

The report writer renders every HTML string first (in the parent, which holds the database connection),
then hands each string to :func:`write_pdf` in its own process: WeasyPrint is single-threaded pure-Python
layout, so two PDFs on two cores take about the time of the longer one.
"""
from __future__ import annotations

import time
from pathlib import Path


def write_pdf(html: str, path: str | Path, base_url: str | None = None) -> tuple[int, float, float]:
    """Lay out ``html`` with WeasyPrint and write the PDF to ``path``.

    Parameters
    ----------
    html : str
        A complete, self-contained HTML document (CSS and images inline).
    path : str or Path
        Output file.
    base_url : str, optional
        Base for relative URLs in ``html`` (none in the report; kept for WeasyPrint's messages).

    Returns
    -------
    (int, float, float)
        Number of pages, wall-clock seconds and CPU seconds of this process (layout and writing); CPU well
        below wall time means the machine was busy with other work.
    """
    import weasyprint  # loads Pango: only in the process that lays out

    started, cpu = time.perf_counter(), time.process_time()
    document = weasyprint.HTML(string=html, base_url=base_url).render()
    document.write_pdf(Path(path))
    return len(document.pages), time.perf_counter() - started, time.process_time() - cpu
