"""HTTP routes of files: the tus 1.0.0 upload endpoint, file descriptions and links,
signed downloads with Range, and the organisation's file settings.

The tus routes stream, so they do not run in one unit of work per request: they open
short ones themselves (see ``uploads``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from starlette.requests import ClientDisconnect

from hobnail.api.deps import DB, AppSettings, CurrentActor, actor_from_request
from hobnail.api.errors import ERROR_RESPONSES
from hobnail.api.uow import UnitOfWorkRoute
from hobnail.core.errors import BadRequest, HobnailError, NotFound
from hobnail.db.session import Session, begin_read
from hobnail.domains.files import protocol, schemas, service, uploads
from hobnail.domains.files.access import FileNotFound
from hobnail.domains.files.links import Signer
from hobnail.models import StoredFile
from hobnail.storage.base import Storage, StorageError

TUS_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    410: {"description": "The upload expired"},
    412: {"description": "Missing or unsupported Tus-Resumable"},
    413: {"description": "Larger than the file limit or the organisation's quota"},
    415: {"description": "PATCH bodies are application/offset+octet-stream"},
    423: {"description": "Another request is writing this upload"},
    460: {"description": "Upload-Checksum mismatch; the bytes were discarded"},
}

tus = APIRouter(prefix="/api/v1", responses=TUS_RESPONSES, tags=["uploads (tus)"])
router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, responses=ERROR_RESPONSES, tags=["files"])
downloads = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["files"])

TusResumable = Annotated[str | None, Header(alias="Tus-Resumable", description="Must be 1.0.0")]
OFFSET_STREAM = "application/offset+octet-stream"


class TusVersionUnsupported(HobnailError):
    status = 412
    code = "tus_version_unsupported"
    message = "This server speaks tus 1.0.0; send Tus-Resumable: 1.0.0."

    def __init__(self) -> None:
        super().__init__(headers={"Tus-Version": protocol.TUS_VERSION, "Tus-Resumable": protocol.TUS_VERSION})


class UnsupportedBody(HobnailError):
    status = 415
    code = "unsupported_media_type"
    message = f"PATCH bodies are {OFFSET_STREAM}."


def _uploads(request: Request) -> uploads.Uploads:
    state = request.app.state
    return uploads.Uploads(state.sessionmaker, state.storage, state.settings)


def _signer(request: Request) -> Signer:
    signer: Signer = request.app.state.signer
    return signer


def _require_tus(version: str | None) -> None:
    if version != protocol.TUS_VERSION:
        raise TusVersionUnsupported()


def _headers(stored: StoredFile) -> dict[str, str]:
    headers = {
        "Tus-Resumable": protocol.TUS_VERSION,
        "Upload-Offset": str(stored.size if stored.status == "complete" else stored.offset),
        "Upload-Length": str(stored.size),
        "Cache-Control": "no-store",
    }
    expires = uploads.upload_expires_header(stored)
    if expires:
        headers["Upload-Expires"] = expires
    if stored.upload_metadata:
        headers["Upload-Metadata"] = protocol.format_metadata(stored.upload_metadata)
    if stored.status == "complete":
        headers["Hobnail-File-Id"] = stored.id
    return headers


class _RequestBody:
    """The request body as chunks; a vanished client just ends it (bytes so far are kept)."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.disconnected = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.request.stream():
                if chunk:
                    yield chunk
        except ClientDisconnect:
            self.disconnected = True


async def _authenticated(request: Request) -> Any:
    async with request.app.state.sessionmaker() as session:
        actor = await actor_from_request(session, request)
        await session.commit()  # a token's last use is noted
    return actor


@tus.options("/uploads/", status_code=204, include_in_schema=True)
async def tus_options(settings: AppSettings) -> Response:
    """tus discovery: version, extensions, checksum algorithms and the server's largest file
    (an organisation may allow less: see GET /files/settings)."""
    return Response(status_code=204, headers={
        "Tus-Resumable": protocol.TUS_VERSION,
        "Tus-Version": protocol.TUS_VERSION,
        "Tus-Extension": protocol.TUS_EXTENSIONS,
        "Tus-Checksum-Algorithm": ",".join(protocol.CHECKSUM_ALGORITHMS),
        "Tus-Max-Size": str(settings.file_max_bytes),
    })  # fmt: skip


@tus.post("/uploads/", status_code=201)
@tus.post("/uploads", status_code=201, include_in_schema=False)
async def tus_create(
    request: Request,
    tus_resumable: TusResumable = None,
    upload_length: Annotated[str | None, Header(alias="Upload-Length")] = None,
    upload_metadata: Annotated[str | None, Header(alias="Upload-Metadata")] = None,
    upload_defer_length: Annotated[str | None, Header(alias="Upload-Defer-Length")] = None,
    upload_checksum: Annotated[str | None, Header(alias="Upload-Checksum")] = None,
    content_type: Annotated[str | None, Header(alias="Content-Type")] = None,
) -> Response:
    """Create an upload (tus creation). Metadata ``filename`` and ``filetype`` name the file.
    With a body of type application/offset+octet-stream the first bytes come along
    (creation-with-upload). Answers 201 with ``Location`` and ``Upload-Offset``."""
    _require_tus(tus_resumable)
    if upload_defer_length is not None:
        raise BadRequest("Declare Upload-Length; deferred lengths are not supported.", code="length_required")
    if upload_length is None or not upload_length.isdigit() or len(upload_length) > 19:
        raise BadRequest("Upload-Length must be the file's size in bytes.", code="invalid_upload_length")
    checksum = protocol.parse_checksum(upload_checksum)
    ctx = _uploads(request)
    async with ctx.sessionmaker() as session:
        actor = await actor_from_request(session, request)
        stored = await uploads.create_upload(
            ctx, session, actor, length=int(upload_length), metadata_header=upload_metadata
        )
        await session.commit()
    if stored.size == 0:
        stored = await uploads.finish(ctx, stored.id)
    elif content_type == OFFSET_STREAM:
        try:
            stored = await uploads.append(
                ctx, actor, stored.id, offset=0, body=_RequestBody(request), checksum=checksum
            )
        except uploads.ChecksumMismatch:
            pass  # the upload exists; the client resumes from offset 0
    headers = _headers(stored)
    headers["Location"] = f"/api/v1/uploads/{stored.id}"
    return Response(status_code=201, headers=headers)


@tus.head("/uploads/{upload_id}", status_code=200)
async def tus_head(request: Request, upload_id: str, tus_resumable: TusResumable = None) -> Response:
    """How many bytes the server holds (``Upload-Offset``); resume from there."""
    _require_tus(tus_resumable)
    ctx = _uploads(request)
    async with ctx.sessionmaker() as session:
        await begin_read(session)
        actor = await actor_from_request(session, request)
        stored = await uploads.status(ctx, session, actor, upload_id)
    if stored.status == "uploading" and stored.offset == stored.size:
        stored = await uploads.finish(ctx, upload_id)  # a crash came between the last byte and finishing
    return Response(status_code=200, headers=_headers(stored))


@tus.patch("/uploads/{upload_id}", status_code=204)
async def tus_patch(
    request: Request,
    upload_id: str,
    tus_resumable: TusResumable = None,
    upload_offset: Annotated[str | None, Header(alias="Upload-Offset")] = None,
    upload_checksum: Annotated[str | None, Header(alias="Upload-Checksum")] = None,
    content_type: Annotated[str | None, Header(alias="Content-Type")] = None,
) -> Response:
    """Append bytes at ``Upload-Offset``. 409 if the offset is not the server's; 460 if
    ``Upload-Checksum`` (sha1 or sha256 of this body) does not match."""
    _require_tus(tus_resumable)
    if content_type != OFFSET_STREAM:
        raise UnsupportedBody()
    if upload_offset is None or not upload_offset.isdigit() or len(upload_offset) > 19:
        raise BadRequest("Upload-Offset must be a number of bytes.", code="invalid_upload_offset")
    checksum = protocol.parse_checksum(upload_checksum)
    actor = await _authenticated(request)
    ctx = _uploads(request)
    stored = await uploads.append(
        ctx, actor, upload_id, offset=int(upload_offset), body=_RequestBody(request), checksum=checksum
    )
    return Response(status_code=204, headers=_headers(stored))


@tus.delete("/uploads/{upload_id}", status_code=204)
async def tus_delete(request: Request, upload_id: str, tus_resumable: TusResumable = None) -> Response:
    """tus termination: drop an unfinished upload and reclaim its bytes."""
    _require_tus(tus_resumable)
    ctx = _uploads(request)
    async with ctx.sessionmaker() as session:
        actor = await actor_from_request(session, request)
        await uploads.terminate(ctx, session, actor, upload_id)
        await session.commit()
    return Response(status_code=204, headers={"Tus-Resumable": protocol.TUS_VERSION})


@router.get("/uploads", response_model=list[schemas.UploadOut])
async def list_uploads(actor: CurrentActor, session: DB) -> list[dict[str, Any]]:
    """My unfinished uploads (newest first), so a client can offer to resume them."""
    return await service.my_uploads(session, actor)


@router.get("/files/settings", response_model=schemas.FileSettingsOut)
async def get_file_settings(actor: CurrentActor, session: DB, settings: AppSettings) -> dict[str, Any]:
    """The largest file, the organisation's quota and how much is used."""
    return await service.settings_and_usage(session, actor, settings)


@router.patch("/files/settings", response_model=schemas.FileSettingsOut)
async def patch_file_settings(
    body: schemas.FileSettingsIn, actor: CurrentActor, session: DB, settings: AppSettings
) -> dict[str, Any]:
    """Admins: the largest file (MB, up to the server's ceiling) and the quota (MB, 0 = none)."""
    return await service.change_settings(session, actor, body.model_dump(), settings)


@router.get("/files/{file_id}", response_model=schemas.FileOut)
async def get_file(
    request: Request, file_id: str, actor: CurrentActor, session: DB, settings: AppSettings
) -> dict[str, Any]:
    """A file shared with me, with short-lived signed links to download, view and thumbnail."""
    return await service.describe(session, actor, file_id, signer=_signer(request), settings=settings)


@router.delete("/files/{file_id}", status_code=204)
async def delete_file(file_id: str, actor: CurrentActor, session: DB) -> Response:
    """The uploader deletes a finished file that no message or DING shows (409 otherwise)."""
    await service.delete_file(session, actor, file_id)
    return Response(status_code=204)


@router.get("/files/{file_id}/download", status_code=302, response_class=RedirectResponse)
async def download_redirect(
    request: Request,
    file_id: str,
    actor: CurrentActor,
    session: DB,
    settings: AppSettings,
    inline: Annotated[bool, Query(description="Show in the browser where that is safe")] = False,
) -> RedirectResponse:
    """Redirect to a fresh signed link (for <img>, <video> and plain links in the web client)."""
    url = await service.link(
        session, actor, file_id, variant="original", inline=inline, signer=_signer(request), settings=settings
    )
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "private, no-store"})


@router.get("/files/{file_id}/thumbnail", status_code=302, response_class=RedirectResponse)
async def thumbnail_redirect(
    request: Request, file_id: str, actor: CurrentActor, session: DB, settings: AppSettings
) -> RedirectResponse:
    url = await service.link(
        session, actor, file_id, variant="thumbnail", inline=True, signer=_signer(request), settings=settings
    )
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "private, no-store"})


@downloads.get("/downloads/{file_id}", response_class=StreamingResponse)
async def download(
    request: Request,
    file_id: str,
    v: Annotated[str, Query(description="original | thumbnail")] = "original",
    i: Annotated[str, Query(description="1: inline")] = "0",
    e: Annotated[str, Query(description="expiry, Unix seconds")] = "0",
    s: Annotated[str, Query(description="signature")] = "",
    range_header: Annotated[str | None, Header(alias="Range")] = None,
) -> Response:
    """The bytes behind a signed link, no sign-in needed, with HTTP Range (206) so
    downloads resume and videos seek. The original name comes in Content-Disposition."""
    link = _signer(request).verify(file_id, variant=v, inline=i, expires=e, signature=s)
    async with request.app.state.sessionmaker() as session:
        await begin_read(session)
        stored = await _complete_file(session, file_id)
    storage = request.app.state.storage
    if link.variant == "thumbnail":
        if stored.thumbnail_key is None:
            raise FileNotFound()
        key, size, content_type = stored.thumbnail_key, None, "image/jpeg"
    else:
        key, size, content_type = stored.storage_key, stored.size, stored.content_type
    if size is None:
        data = b"".join([chunk async for chunk in await _read(storage, key)])
        return Response(data, media_type=content_type, headers=_download_headers(stored, link.inline, content_type))
    byte_range = protocol.parse_range(range_header, size)
    headers = _download_headers(stored, link.inline, content_type)
    headers["Accept-Ranges"] = "bytes"
    if byte_range is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(await _read(storage, key), media_type=content_type, headers=headers)
    start, end = byte_range
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    return StreamingResponse(
        await _read(storage, key, start, end), status_code=206, media_type=content_type, headers=headers
    )


async def _complete_file(session: Session, file_id: str) -> StoredFile:
    stored = await session.get(StoredFile, file_id)
    if stored is None or stored.status != "complete":
        raise FileNotFound()
    return stored


def _download_headers(stored: StoredFile, inline: bool, content_type: str) -> dict[str, str]:
    inline = inline and protocol.may_show_inline(content_type)
    headers = {
        "Content-Disposition": protocol.content_disposition(stored.name, inline=inline),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=300",
    }
    # Nothing served from here may run script on our origin. (Chrome will not show a PDF
    # under a sandbox policy; PDFs run no script of the page's origin anyway.)
    if content_type != "application/pdf":
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    if stored.sha256:
        headers["ETag"] = f'"{stored.sha256}"'
    return headers


async def _read(storage: Storage, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
    """The bytes, with the first piece read before the response starts, so a missing
    object is a clean 404 rather than a connection cut after the headers."""
    source = storage.read(key, start, end)
    try:
        first = await anext(source)
    except StopAsyncIteration:
        first = b""
    except StorageError as exc:
        raise NotFound("The file's bytes are not available.", code="file_unavailable") from exc

    async def rest() -> AsyncIterator[bytes]:
        yield first
        async for chunk in source:
            yield chunk

    return rest()
