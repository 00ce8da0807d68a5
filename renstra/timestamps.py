"""The fixed moments of a build: the document's date, SOURCE_DATE_EPOCH, and how they are written."""

from __future__ import annotations

import datetime
import os


def source_date_epoch() -> datetime.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, when set: the fixed 'now' of reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch.isdigit() else None


def created_at(day: datetime.date) -> datetime.datetime:
    """The document's own date, at midnight UTC: the creation date of both outputs."""
    return datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc)


def modified_at(day: datetime.date) -> datetime.datetime:
    """The build's fixed modification time: SOURCE_DATE_EPOCH if set, else the document date."""
    return source_date_epoch() or created_at(day)


def utc_stamp(moment: datetime.datetime) -> str:
    """'2013-03-03T00:00:00Z', as the HTML's dcterms meta and the archive's manifest write it."""
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
