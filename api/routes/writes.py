"""Writes: ingest an uploaded document, delete a report.  Both need X-API-Key."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from api.deps import SettingsDep, StoreDep, WriteAccess
from api.errors import WRITE_RESPONSES
from api.models import DeleteResult, IngestResult
from api.service import ingest_bytes
from graph.errors import ParseError, PayloadTooLarge
from ingest.pipeline import IngestOptions

__all__ = ["UPLOAD_FORMATS", "router"]

router = APIRouter(
    prefix="/api", tags=["writes"], dependencies=[WriteAccess], responses=WRITE_RESPONSES
)

UPLOAD_FORMATS = ("txt", "docx", "html", "htm", "pdf", "xlsx", "xlsm", "xls", "ods")


def _upload_name(filename: str | None) -> str:
    """The upload's base name; its extension must be one ingest reads."""
    name = PurePath((filename or "upload.txt").replace("\\", "/")).name or "upload.txt"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "txt"
    if ext not in UPLOAD_FORMATS:
        raise ParseError(
            f"unsupported file type .{ext}; send one of {', '.join(UPLOAD_FORMATS)}", path=name
        )
    return name


@router.post(
    "/documents",
    response_model=IngestResult,
    status_code=201,
    summary="Ingest one document (text, Word, HTML, PDF, spreadsheet); whole or not at all",
)
def upload_document(
    store: StoreDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="The work plan, assignment or progress report.")],
    city: Annotated[
        str | None, Form(min_length=1, max_length=20, pattern=r"^[\u4e00-\u9fff]{1,19}市?$")
    ] = None,
    year: Annotated[int | None, Form(ge=1949, le=2100)] = None,
    period: Annotated[str | None, Form(pattern=r"^(\d{4}-)?(Q[1-4]|H[12]|FY|plan)$")] = None,
    replace: Annotated[
        bool,
        Form(
            description="Replace the stored report this document revises (same plan, period "
            "and kind, mostly the same tasks, other text); without it such a document is "
            "refused with 409 revised_report."
        ),
    ] = False,
) -> IngestResult:
    name = _upload_name(file.filename)
    cap = settings.max_upload_bytes
    data = file.file.read(cap + 1)
    if len(data) > cap:
        raise PayloadTooLarge(f"the upload is over the limit of {cap:,} bytes", limit=cap)
    options = IngestOptions(city=city, year=year, period=period, max_bytes=cap, replace=replace)
    outcome = ingest_bytes(store, data, name, options)
    written, meta = outcome.result, outcome.meta
    return IngestResult(
        report_id=written.report_id,
        title=meta.title,
        city=meta.city,
        year=meta.year,
        period=meta.period,
        tasks=outcome.tasks,
        nodes_created=written.nodes_created,
        nodes_updated=written.nodes_updated,
        edges_created=written.edges_created,
        edges_updated=written.edges_updated,
        already_present=written.already_present,
        conflicts=written.conflicts,
        warnings=outcome.warnings,
    )


@router.delete(
    "/reports/{report_id}",
    response_model=DeleteResult,
    summary="Remove what only this report contributed",
)
def delete_report(store: StoreDep, report_id: str) -> DeleteResult:
    result = store.delete_report(report_id)
    return DeleteResult(
        report_id=report_id, nodes_updated=result.nodes_updated, edges_updated=result.edges_updated
    )
