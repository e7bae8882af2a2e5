"""File-type check of uploaded meeting documents: the type is read from the content, never trusted from the name.

PDF is recognised by its signature (puremagic, ISO 32000-1 §7.5.2 header ``%PDF-``). DOCX, XLSX and PPTX are all
ZIP containers with the same signature, so the main part declared in ``[Content_Types].xml`` decides which one
it is (ECMA-376 Part 2, Open Packaging Conventions).
"""
from __future__ import annotations

import hashlib
import io
import zipfile

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: Main part content type of each Office Open XML format (ECMA-376 Part 1, §11-13).
OOXML_MAIN_PARTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ALLOWED_TYPES = ("pdf", "docx", "xlsx", "pptx")


def detect_type(content: bytes) -> str | None:
    """The document type of ``content``: ``"pdf"``, ``"docx"``, ``"xlsx"``, ``"pptx"`` or ``None``.

    Parameters
    ----------
    content : bytes
        The whole file.

    Returns
    -------
    str or None
        ``None`` for anything else (including a ZIP that is not an Office Open XML package).
    """
    try:
        extension = puremagic.from_string(content)
    except puremagic.PureError:
        return None
    if extension == ".pdf":
        return "pdf"
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        return None
    for kind, main_part in OOXML_MAIN_PARTS.items():
        if main_part in types:
            return kind
    return None


def check_upload(uploaded) -> dict:
    """Validate one uploaded document: size limit, claimed type allowed, content of the claimed type.

    Parameters
    ----------
    uploaded : django.core.files.File
        With a ``name`` whose extension is the claimed type.

    Returns
    -------
    dict
        ``{"file_type": str, "size": int (bytes), "sha256": str (hex)}``.

    Raises
    ------
    ValidationError
        On field ``file``, naming the file and what was expected (limit from ``DTFORUM_DOCUMENT_MAX_BYTES``).
    """
    name = uploaded.name.rsplit("/", 1)[-1]
    limit = settings.DTFORUM_DOCUMENT_MAX_BYTES
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if claimed not in ALLOWED_TYPES:
        raise ValidationError({"file": _("%(name)s: only PDF, DOCX, XLSX and PPTX files are accepted.")
                                       % {"name": name}})
    size = uploaded.size
    if size is not None and size > limit:
        raise ValidationError({"file": _("%(name)s is %(size)s; the limit is %(limit)s.") % {
            "name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}})
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    uploaded.seek(0)
    if len(content) > limit:
        raise ValidationError({"file": _("%(name)s is larger than the limit of %(limit)s.")
                                       % {"name": name, "limit": filesizeformat(limit)}})
    found = detect_type(content)
    if found != claimed:
        raise ValidationError({"file": _("%(name)s claims to be %(claimed)s but its content is %(found)s.") % {
            "name": name, "claimed": claimed.upper(),
            "found": found.upper() if found else _("not a PDF, DOCX, XLSX or PPTX file")}})
    return {"file_type": found, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
