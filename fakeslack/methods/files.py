"""files.getUploadURLExternal and files.completeUploadExternal (what files_upload_v2 calls).

slack_sdk's ``files_upload_v2`` asks for an upload URL per file, POSTs the raw bytes there,
then completes all files in one call; the fake's upload URL is served by the same server
(``/upload/<file id>``).
"""

from __future__ import annotations

from fakeslack.errors import ApiError
from fakeslack.methods._base import Call, Handler
from fakeslack.records import JsonDict, UploadedFile


def get_upload_url(call: Call) -> JsonDict:
    """Announce a file and get the URL to POST its bytes to."""
    state = call.state
    filename = call.text("filename")
    length = call.text("length")
    if not filename or not length or not length.isdigit() or int(length) == 0:
        raise ApiError("missing_argument")
    upload = UploadedFile(
        id=state.new_id("F"),
        name=filename,
        length=int(length),
        user=call.actor,
        created=int(state.wall_clock()),
        alt_txt=call.text("alt_txt"),
        snippet_type=call.text("snippet_type"),
    )
    state.add_file(upload)
    if state.base_url is None:
        raise ApiError("internal_error")
    return {"upload_url": f"{state.base_url}upload/{upload.id}", "file_id": upload.id}


def complete_upload(call: Call) -> JsonDict:
    """Finish uploads; with a channel, share them there with the initial comment."""
    state = call.state
    entries = call.json("files")
    if not isinstance(entries, list) or not entries:
        raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: files"])
    channel_ids = [c for c in (call.text("channels") or "").split(",") if c]
    if call.text("channel_id"):
        channel_ids.insert(0, call.required("channel_id"))
    for channel_id in channel_ids:
        if state.conversation(channel_id) is None:
            raise ApiError("invalid_channel")
    uploads: list[UploadedFile] = []
    for entry in entries:
        upload = state.file(str(entry.get("id"))) if isinstance(entry, dict) else None
        if upload is None or upload.content is None:
            raise ApiError("file_not_found")
        upload.title = str(entry.get("title") or upload.name)
        uploads.append(upload)
    comment = call.text("initial_comment")
    thread_ts = call.text("thread_ts") or None
    for upload in uploads:
        upload.completed = True
        upload.channels = list(dict.fromkeys([*upload.channels, *channel_ids]))
        upload.initial_comment, upload.thread_ts = comment, thread_ts
    for channel_id in dict.fromkeys(channel_ids):
        state.post_message(
            channel_id,
            text=comment or "",
            user=call.actor,
            bot_id=call.bot_id,
            thread_ts=thread_ts,
            files=[u.to_api() for u in uploads],
        )
    return {"files": [u.to_api() for u in uploads]}


METHODS: dict[str, Handler] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
}
