"""Country-code resolution: one alias table through which every file's codes and names resolve.

Every code or name found in a source file is resolved to one *platform code*: the ISO 3166-1 alpha-3 code,
or the World Bank code where ISO has none (``XKX`` Kosovo, ``CHI`` Channel Islands). Statistical aggregates
(World, Arab World, income groups, UNDP/OWID/UNCTAD regions) resolve to their own publisher code and are
recognised by :meth:`CountryResolver.is_aggregate`, so they can be kept out of min/max, imputation and ranks.
Nothing is ever dropped silently: an unresolved code or name raises :class:`UnresolvedCountry` listing every
offending row at once.

This module is pure: it reads the reference tables shipped in ``dtforum/members/data/`` and the ISO 3166
table of django-countries (names in ar/en/fr through Django's gettext), never the database.

Reference data (``dtforum/members/data/``, see ``README.md`` there)
---------------------------------------------------------------------
``oic_members.csv``
    The 57 OIC member states (OIC Charter membership list, oic-oci.org "Member States"), with the OIC
    geographic group used for elective posts (Arab, African, Asian) and official short names in en/fr/ar
    (UNTERM short names; "Palestine" as the OIC writes it; "Türkiye" in English and French since 2022).
    Group choice, recorded per row in the ``note`` column:

    * Arab group = the 22 members of the League of Arab States, including the ten in Africa (Algeria,
      Comoros, Djibouti, Egypt, Libya, Mauritania, Morocco, Somalia, Sudan, Tunisia) and Palestine.
    * African group = the other 17 members in Africa.
    * Asian group = the remaining 18 members, i.e. the members in Asia plus Albania (Europe) and Guyana and
      Suriname (South America): the OIC has no European or Latin American group, and no authoritative
      published assignment for these three was available when this table was written, so they follow
      this residual rule; the COMCEC Coordination Office should confirm it.
``economies_extra.csv``
    Economies without an ISO 3166-1 code that appear in the sources (XKX Kosovo, CHI Channel Islands,
    ANT Netherlands Antilles), names written by us.
``aggregates.csv``
    Aggregate codes with the publisher's English name: World Bank WDI country metadata rows with an empty
    Region, UNDP HDR ``ZZ*`` codes, Our World in Data ``OWID_*`` codes, UNCTADstat 4-digit group codes
    (platform code ``UNCTAD_<code>``). French/Arabic names are given for the main World Bank groups; other
    aggregates fall back to English.
``m49.csv``
    UN M49 numeric codes (UN Statistics Division, *Standard country or area codes for statistical use*)
    not covered by django-countries' ISO 3166-1 numeric codes: trade-statistics variants used by UNCTADstat
    and UN Comtrade (251 France, 579 Norway, 757 Switzerland, 842 United States, ...), former codes (736
    Sudan before 2011) and UNCTADstat's 0000 World.
``aliases.csv``
    Every spelling (``kind=name``) or code (``kind=code``) seen in the data snapshot that ISO 3166 and
    django-countries do not cover, with the file where it was seen.
"""
from __future__ import annotations

import csv
import functools
import logging
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr", "ar")


class MojibakeWarning(UnicodeWarning):
    """A name looked like UTF-8 text decoded as cp1252/Latin-1 (e.g. ``"CÃ´te d'Ivoire"``) and was repaired.

    The source file was read with the wrong encoding; the warning names the input so the file can be flagged.
    """


class UnresolvedCountry(ValueError):
    """One or more codes/names could not be resolved to a platform code.

    Parameters
    ----------
    rows : list of tuple (code, name, where)
        Every unresolved row; ``where`` locates it (file and row number), e.g. ``"egov_2022.csv row 17"``.
    """

    def __init__(self, rows: list[tuple[str | None, str | None, str]]):
        self.rows = list(rows)
        super().__init__(self._message())

    def _message(self) -> str:
        listed = "; ".join(f"{where or '?'}: code={code!r} name={name!r}" for code, name, where in self.rows)
        return (f"{len(self.rows)} unresolved country code(s)/name(s) (add them to "
                f"dtforum/members/data/aliases.csv if they are genuine spellings): {listed}")


class ConflictingCountry(UnresolvedCountry):
    """A row's code and name resolve to two different economies (code ``SEN`` with name ``"Jordan"``).

    Neither can be trusted, so the row is not resolved. Aggregates are not checked: publishers give their own
    aggregate codes common names (``OWID_WRL`` "World") that resolve to another publisher's aggregate.

    Parameters
    ----------
    rows : list of tuple (code, name, where)
        Every row that failed, conflicting or unresolved, in input order (as :class:`UnresolvedCountry`).
    conflicts : list of tuple (code, name, where, by_code, by_name)
        The conflicting rows with the platform code each of their keys resolves to.
    """

    def __init__(self, rows: list[tuple[str | None, str | None, str]],
                 conflicts: list[tuple[str, str, str, str, str]]):
        self.conflicts = list(conflicts)
        super().__init__(rows)

    def _message(self) -> str:
        conflicting = {c[:3]: c for c in self.conflicts}
        resolver = CountryResolver.default()
        parts = []
        for row in self.rows:
            code, name, where = row
            if row in conflicting:
                by_code, by_name = conflicting[row][3:]
                parts.append(f"{where or '?'}: code {code!r} is {by_code} ({resolver.names(by_code)['en']}) but "
                             f"name {name!r} is {by_name} ({resolver.names(by_name)['en']})")
            else:
                parts.append(f"{where or '?'}: code={code!r} name={name!r}")
        return (f"{len(self.conflicts)} country row(s) whose code and name are two different economies (correct "
                f"the file), {len(self.rows) - len(self.conflicts)} unresolved (add genuine spellings to "
                f"dtforum/members/data/aliases.csv): {'; '.join(parts)}")


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _oic_members() -> dict[str, str]:
    members = {row["iso3"]: row["oic_group"] for row in _read_csv("oic_members.csv")}
    if len(members) != 57 or set(members.values()) != {"arab", "african", "asian"}:
        raise RuntimeError(f"oic_members.csv must list 57 members in the groups arab/african/asian, "
                           f"got {len(members)} with groups {sorted(set(members.values()))}")
    return members


#: ISO3 -> OIC geographic group (``"arab"``, ``"african"``, ``"asian"``) for the 57 member states.
OIC_MEMBERS: dict[str, str] = _oic_members()

_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032"), "'")
_FOOTNOTE_TAIL = re.compile(r"[\s*\u2020\u2021\u00a7\u00b9\u00b2\u00b3\u2070-\u2079]+$")
_TRAILING_THE = re.compile(r",\s*the$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _repair_mojibake(text: str) -> str:
    """Undo text decoded with the wrong codec, warning with :class:`MojibakeWarning`.

    Two faults occur in the snapshot: UTF-8 bytes decoded as cp1252/Latin-1 (``"CÃ´te"``), and cp1252
    bytes decoded as GBK then saved as UTF-8 (``"C\u9b4ce"`` in the UNDP HDR file). Each is undone by
    re-encoding with the wrong codec and decoding with the right one. Genuine text does not survive the
    round trip (e.g. the cp1252 bytes of ``"Côte"`` are not valid UTF-8), so only mojibake changes; this
    is the test used by ftfy. A U+FFFD replacement character cannot be repaired and is only reported.
    """
    if text.isascii():
        return text
    attempts = [("cp1252", "utf-8"), ("latin-1", "utf-8")]
    if _CJK.search(text):
        # A CJK ideograph in a Latin-script country name can only be a misread Latin-1 byte pair.
        attempts.append(("gbk", "cp1252"))
    for wrong, right in attempts:
        try:
            repaired = text.encode(wrong).decode(right)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text and not _CJK.search(repaired):
            warnings.warn(
                f"mojibake in country name {text!r}, read as {repaired!r}: the source was {right} decoded as "
                f"{wrong}; re-read that file with the right encoding",
                MojibakeWarning,
                stacklevel=3,
            )
            return repaired
    if "\ufffd" in text:
        warnings.warn(
            f"country name {text!r} holds U+FFFD: a character was lost when the source was decoded",
            MojibakeWarning,
            stacklevel=3,
        )
    return text


def normalise_name(name: str) -> str:
    """Match key of a country name: spelling variants of one name give the same key.

    Steps: repair mojibake (warning :class:`MojibakeWarning`), NFKC, strip trailing footnote marks
    (``*``, daggers, superscript digits) and whitespace, fold case, strip accents (NFKD, drop combining
    marks), unify apostrophes (U+2019, U+02BC, backtick...) and drop them, ``&`` -> ``and``, drop a trailing
    ``", The"`` (World Bank style) and a leading ``the``, turn other punctuation into spaces, collapse spaces.

    Parameters
    ----------
    name : str
        A country or aggregate name as found in a source file.

    Returns
    -------
    str
        The key, ASCII lower case, words separated by one space.

    Examples
    --------
    >>> normalise_name("  Côte d\u2019Ivoire ")
    'cote divoire'
    >>> normalise_name("Gambia, The") == normalise_name("the Gambia")
    True
    >>> normalise_name("Kosovo*")
    'kosovo'
    """
    text = unicodedata.normalize("NFKC", _repair_mojibake(str(name)))
    text = _FOOTNOTE_TAIL.sub("", text.strip()).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.translate(_APOSTROPHES).replace("'", "").replace("&", " and ")
    text = _TRAILING_THE.sub("", text.strip())
    return _NON_ALNUM.sub(" ", text).strip().removeprefix("the ")


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


@dataclass(frozen=True)
class _Names:
    en: str
    fr: str
    ar: str


class CountryResolver:
    """Resolves codes, UN M49 numbers and names to platform codes (ISO3; XKX; aggregate codes).

    Build it with :meth:`default` (cached). Lookup tables: codes (ISO alpha-3 and alpha-2 from
    django-countries, World Bank codes, aggregate codes, code aliases), M49 numbers (ISO 3166-1 numeric
    from django-countries plus ``m49.csv``) and normalised names (ISO names, django-countries common and
    old names in English and French, our member and extra names, aggregate names, ``aliases.csv``).

    Raises
    ------
    RuntimeError
        At build time, if the reference data is inconsistent (a name or code claimed by two platform
        codes, an alias pointing to an unknown code).
    """

    def __init__(self) -> None:
        from django.utils import translation
        from django_countries import countries
        from django_countries.data import COUNTRIES

        self._codes: dict[str, str] = {}
        self._m49: dict[int, str] = {}
        self._by_name: dict[str, str] = {}
        self._aggregates: set[str] = set()
        self._names: dict[str, _Names] = {}
        self._iso2: dict[str, str] = {}
        self._m49_of: dict[str, int] = {}

        for alpha2 in COUNTRIES:
            alpha3 = countries.alpha3(alpha2)
            self._add_code(alpha3, alpha3)
            self._add_code(alpha2, alpha3)
            self._iso2[alpha3] = alpha2
            numeric = countries.numeric(alpha2)
            if numeric is not None:
                self._m49[int(numeric)] = alpha3
                self._m49_of[alpha3] = int(numeric)
            spellings = [COUNTRIES[alpha2], countries.COMMON_NAMES.get(alpha2, "")]
            spellings += countries.OLD_NAMES.get(alpha2, [])
            for lang in ("en", "fr"):
                with translation.override(lang):
                    for spelling in spellings:
                        if spelling:
                            self._add_name(str(spelling), alpha3, "django-countries")

        for row in _read_csv("oic_members.csv"):
            self._names[row["iso3"]] = _Names(row["name_en"], row["name_fr"], row["name_ar"])
            for lang in LANGUAGES:
                if lang != "ar":
                    self._add_name(row[f"name_{lang}"], row["iso3"], "oic_members.csv")

        for row in _read_csv("economies_extra.csv"):
            code = row["code"]
            self._add_code(code, code)
            self._add_code(row["iso2"], code)
            self._iso2[code] = row["iso2"]
            if row["m49"]:
                self._m49[int(row["m49"])] = code
                self._m49_of[code] = int(row["m49"])
            self._names[code] = _Names(row["name_en"], row["name_fr"], row["name_ar"])
            for lang in ("en", "fr"):
                self._add_name(row[f"name_{lang}"], code, "economies_extra.csv")

        for row in _read_csv("aggregates.csv"):
            code = row["code"]
            self._aggregates.add(code)
            self._add_code(code, code)
            if row["m49"]:
                self._m49[int(row["m49"])] = code
                self._m49_of[code] = int(row["m49"])
            self._names[code] = _Names(row["name_en"], row["name_fr"] or row["name_en"],
                                       row["name_ar"] or row["name_en"])
            # Several publishers name their own aggregate "World" or "South Asia": the first listed
            # (World Bank, alphabetically first source) keeps the name; the others resolve by code.
            self._by_name.setdefault(normalise_name(row["name_en"]), code)

        for row in _read_csv("m49.csv"):
            self._m49[int(row["m49"])] = self._known(row["code"], "m49.csv")

        for row in _read_csv("aliases.csv"):
            target = self._known(row["code"], "aliases.csv")
            if row["kind"] == "code":
                self._add_code(row["alias"], target)
            elif row["kind"] == "name":
                self._add_name(row["alias"], target, "aliases.csv")
            else:
                raise RuntimeError(f"aliases.csv: kind must be 'code' or 'name', got {row['kind']!r}")

    def _known(self, code: str, where: str) -> str:
        if code not in self._codes:
            raise RuntimeError(f"{where}: target code {code!r} is not a known platform code")
        return self._codes[code]

    def _add_code(self, alias: str, code: str) -> None:
        alias = alias.strip().upper()
        if not alias:
            return
        if self._codes.setdefault(alias, code) != code:
            raise RuntimeError(f"code {alias!r} maps to both {self._codes[alias]} and {code}")

    def _add_name(self, name: str, code: str, where: str) -> None:
        with warnings.catch_warnings():
            # aliases.csv records damaged spellings on purpose; warnings are for source files.
            warnings.simplefilter("ignore", MojibakeWarning)
            key = normalise_name(name)
        if self._by_name.setdefault(key, code) != code:
            raise RuntimeError(f"{where}: name {name!r} (key {key!r}) maps to both {self._by_name[key]} and {code}")

    @classmethod
    @functools.cache
    def default(cls) -> CountryResolver:
        """The resolver built from the repository data and django-countries (built once, then cached).

        Returns
        -------
        CountryResolver
        """
        return cls()

    def resolve(self, code: str | None = None, name: str | None = None, *, m49: int | None = None) -> str:
        """Platform code of one row.

        Tries ``code`` (ISO alpha-3, alpha-2, World Bank codes such as XKX/XK, aggregate codes, code
        aliases), then ``m49``, then the normalised ``name``; the first that is known wins. A known code with a
        known name of another economy is a conflict, not a win (aggregates excepted, see
        :class:`ConflictingCountry`); an unknown name beside a known code is a spelling, the code decides.

        Parameters
        ----------
        code : str, optional
            Code as found in the file (case and surrounding spaces ignored).
        name : str, optional
            Name as found in the file (see :func:`normalise_name`).
        m49 : int, optional
            UN M49 numeric code (UNCTADstat "Economy" column; ``"008"`` and ``8`` are the same).

        Returns
        -------
        str
            ISO3 code, World Bank code (XKX, CHI) or aggregate code (WLD, ZZK.WORLD, OWID_WRL, UNCTAD_1400).

        Raises
        ------
        UnresolvedCountry
            If none of the given keys is known (also if all are blank).
        ConflictingCountry
            (an ``UnresolvedCountry``) If ``code`` and ``name`` resolve to two different economies.
        """
        if not _blank(code):
            found = self._codes.get(str(code).strip().upper())
            if found:
                by_name = None if _blank(name) else self._by_name.get(normalise_name(name))
                if by_name and by_name != found and not (self.is_aggregate(found) or self.is_aggregate(by_name)):
                    row = (str(code), str(name), "")
                    raise ConflictingCountry([row], [(*row, found, by_name)])
                return found
        if not _blank(m49):
            found = self._m49.get(int(m49))
            if found:
                return found
        if not _blank(name):
            found = self._by_name.get(normalise_name(name))
            if found:
                return found
        label = None if _blank(code) and _blank(m49) else (str(code) if not _blank(code) else f"M49 {m49}")
        raise UnresolvedCountry([(label, None if _blank(name) else str(name), "")])

    def resolve_many(self, rows: Iterable[tuple], *, where: str) -> list[str]:
        """Resolve every row, then raise once listing all unresolved rows.

        Parameters
        ----------
        rows : iterable of tuple
            ``(code, name)`` or ``(code, name, m49)`` per row; blank items are ``None``, ``""`` or NaN.
        where : str
            Location used in errors and warnings, e.g. the file name; row numbers (1-based, data rows)
            are appended.

        Returns
        -------
        list of str
            Platform codes, one per input row, in input order.

        Raises
        ------
        UnresolvedCountry
            Listing every unresolved ``(code, name, "<where> row <n>")``; a :class:`ConflictingCountry` when
            some of them are conflicts (listed in its ``conflicts`` too).
        """
        resolved: list[str] = []
        missing: list[tuple[str | None, str | None, str]] = []
        conflicts: list[tuple[str, str, str, str, str]] = []
        for number, row in enumerate(rows, start=1):
            code, name, *rest = row
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", MojibakeWarning)
                try:
                    resolved.append(self.resolve(code, name, m49=rest[0] if rest else None))
                except UnresolvedCountry as exc:
                    failed = (exc.rows[0][0], exc.rows[0][1], f"{where} row {number}")
                    missing.append(failed)
                    if isinstance(exc, ConflictingCountry):
                        conflicts.append((*failed, *exc.conflicts[0][3:]))
            for warning in caught:
                warnings.warn(f"{where} row {number}: {warning.message}", warning.category, stacklevel=2)
        if conflicts:
            raise ConflictingCountry(missing, conflicts)
        if missing:
            raise UnresolvedCountry(missing)
        return resolved

    def is_aggregate(self, code: str) -> bool:
        """True if ``code`` (a platform code) is a statistical aggregate rather than an economy.

        Parameters
        ----------
        code : str
            Platform code as returned by :meth:`resolve`.
        """
        return code in self._aggregates

    def is_known(self, code: str) -> bool:
        """True if ``code`` is a platform code of this resolver (economy or aggregate)."""
        return self._codes.get(code) == code

    def iso2(self, code: str) -> str:
        """ISO 3166-1 alpha-2 (or World Bank 2-letter) code of a platform code; ``""`` if none."""
        return self._iso2.get(code, "")

    def m49(self, code: str) -> int | None:
        """UN M49 numeric code of a platform code, ``None`` if it has none (e.g. XKX)."""
        return self._m49_of.get(code)

    def names(self, iso3: str) -> dict[str, str]:
        """Display names of a platform code in en/fr/ar, independent of the source spelling.

        Members and extra economies take the platform's own table; other ISO countries take
        django-countries' translated names (its Django gettext catalogues); aggregates their
        publisher's English name (French/Arabic where ``aggregates.csv`` gives them).

        Parameters
        ----------
        iso3 : str
            Platform code.

        Returns
        -------
        dict
            ``{"en": ..., "fr": ..., "ar": ...}``.

        Raises
        ------
        KeyError
            If ``iso3`` is not a platform code.
        """
        if iso3 in self._names:
            found = self._names[iso3]
            return {"en": found.en, "fr": found.fr, "ar": found.ar}
        if not self.is_known(iso3) or iso3 not in self._iso2:
            raise KeyError(f"{iso3!r} is not a platform code")
        from django.utils import translation
        from django_countries import countries

        result = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                result[lang] = str(countries.name(self._iso2[iso3]))
        return result


def split_aggregates(
    frame: pd.DataFrame, code_column: str, region_by_code: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a frame into country rows and aggregate rows using World Bank country metadata.

    A code is an aggregate when its Region in the WDI ``Metadata_Country`` file is empty (the World Bank
    convention: only economies carry a Region). Decided per row from the code, so row order is irrelevant.

    Parameters
    ----------
    frame : DataFrame
        Any frame with a column of World Bank / ISO3 codes.
    code_column : str
        Name of that column.
    region_by_code : Mapping[str, str]
        Code -> Region from the metadata file (empty string or NaN for aggregates).

    Returns
    -------
    (countries, aggregates) : tuple of DataFrame
        Row subsets of ``frame`` with their original index and order.

    Raises
    ------
    KeyError
        If ``code_column`` is missing.
    ValueError
        If codes are absent from ``region_by_code`` (listed), since they cannot be classified.
    """
    if code_column not in frame.columns:
        raise KeyError(f"column {code_column!r} not in frame (columns: {list(frame.columns)})")
    codes = frame[code_column].astype(str).str.strip()
    unknown = sorted(set(codes) - set(region_by_code))
    if unknown:
        raise ValueError(f"codes not in the WDI country metadata, cannot tell country from aggregate: {unknown}")
    is_aggregate = codes.map(lambda code: _blank(region_by_code[code]))
    return frame[~is_aggregate], frame[is_aggregate]
