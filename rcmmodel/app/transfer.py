"""Files in and out of the app: chunked uploads and download buttons (anywidget).

ipywidgets' FileUpload sends a whole file as one websocket message and keeps it in the
widget's state: a claims file over ~10 MB failed silently (the server's message limit) and
a big one stayed in memory twice. :class:`Upload` reads the file in the browser in 4 MB
slices, sends them one by one and writes them to a temporary file in the kernel; a file
over the limit is refused in the browser, with a message, before a byte is sent.

:class:`Download` is a button: a click asks the kernel for the file (a PDF report, an
Excel model, the scenario), which comes back as bytes and is saved by the browser under
its own name. Nothing is written where the user did not ask.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable

import anywidget
import traitlets

from ..errors import RcmInputError

CHUNK = 4 * 1024 * 1024
MAX_UPLOAD = 200 * 1024 * 1024

_UPLOAD_JS = r"""
function render({ model, el }) {
  el.classList.add("rcm-transfer");
  const label = document.createElement("label");
  label.className = "rcm-button rcm-upload-button";
  const text = document.createElement("span");
  const input = document.createElement("input");
  input.type = "file";
  input.className = "rcm-file-input";
  label.append(text, input);
  const status = document.createElement("div");
  status.className = "rcm-transfer-status";
  status.setAttribute("aria-live", "polite");
  el.append(label, status);
  const sync = () => {
    text.textContent = model.get("label");
    input.accept = model.get("accept");
    input.multiple = model.get("multiple");
    status.textContent = model.get("status");
  };
  sync();
  model.on("change", sync);
  const mb = (n) => (n / 1048576).toFixed(n < 10485760 ? 1 : 0) + " MB";
  input.addEventListener("change", async () => {
    const files = [...input.files];
    input.value = "";
    if (!files.length) return;
    const limit = model.get("max_bytes");
    const big = files.filter((f) => f.size > limit);
    if (big.length) {
      model.send({ event: "too_big", name: big[0].name, size: big[0].size });
      return;
    }
    const chunk = model.get("chunk");
    model.send({ event: "start", names: files.map((f) => f.name) });
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      for (let at = 0; at < f.size || at === 0; at += chunk) {
        const buf = await f.slice(at, at + chunk).arrayBuffer();
        model.send({ event: "chunk", index: i }, undefined, [buf]);
        status.textContent = "Sending " + f.name + ": " + mb(Math.min(f.size, at + chunk))
          + " of " + mb(f.size);
        if (f.size === 0) break;
      }
    }
    model.send({ event: "end" });
  });
}
export default { render };
"""

_DOWNLOAD_JS = r"""
function render({ model, el }) {
  el.classList.add("rcm-transfer");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "rcm-button rcm-download-button";
  const status = document.createElement("div");
  status.className = "rcm-transfer-status";
  status.setAttribute("aria-live", "polite");
  el.append(button, status);
  const sync = () => {
    button.textContent = model.get("busy") ? model.get("busy_label") : model.get("label");
    button.disabled = model.get("busy") || model.get("disabled");
    status.textContent = model.get("status");
  };
  sync();
  model.on("change", sync);
  button.addEventListener("click", () => model.send({ event: "click" }));
  model.on("msg:custom", (msg, buffers) => {
    if (msg.event !== "file" || !buffers || !buffers.length) return;
    const blob = new Blob([buffers[0]], { type: msg.mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = msg.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  });
}
export default { render };
"""

_CSS = """
.rcm-transfer {display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px;
               margin: 4px 0; max-width: 100%;}
.rcm-button {display: inline-block; padding: 7px 14px; border-radius: 4px; cursor: pointer;
             border: 1px solid #1f5fa8; background: #1f5fa8; color: white; font: inherit;
             font-size: 0.95em; position: relative; overflow: hidden;}
.rcm-button:disabled {opacity: 0.6; cursor: progress;}
.rcm-upload-button {background: white; color: #1f5fa8;}
.rcm-upload-button:focus-within {outline: 2px solid #1f5fa8; outline-offset: 2px;}
.rcm-file-input {position: absolute; inset: 0; opacity: 0; cursor: pointer; width: 100%;}
.rcm-transfer-status {color: #555; font-size: 0.9em;}
"""


def safe_name(name: str, default: str = "upload") -> str:
    """A file name of letters, digits, dots, dashes and underscores (no folders, no control
    characters): what the app writes or offers, whatever the user typed.

    >>> safe_name("../Smith, J. 2024.csv")
    'Smith-J.-2024.csv'
    """
    name = Path(str(name)).name
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return name[:120] or default


def size_text(n: int) -> str:
    """A file's size as the page and the browser's script say it (MB of 1,048,576 bytes,
    so the limit reads "200 MB" everywhere).

    >>> size_text(MAX_UPLOAD), size_text(5 * 2**20 + 1), size_text(2048)
    ('200 MB', '5 MB', '2 KB')
    """
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n / 2**10:,.0f} KB"


class Upload(anywidget.AnyWidget):
    """A file picker that streams files to the kernel; ``on_files`` gets their paths.

    ``on_files(items)`` is called with a list of ``(original_name, path)`` while the files
    exist (a temporary folder, removed afterwards); whatever it returns is ignored, and an
    exception it raises is shown as the status.
    """

    _esm = _UPLOAD_JS
    _css = _CSS
    label = traitlets.Unicode("Upload").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    multiple = traitlets.Bool(False).tag(sync=True)
    max_bytes = traitlets.Int(MAX_UPLOAD).tag(sync=True)
    chunk = traitlets.Int(CHUNK).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(self, on_files: Callable, **kwargs):
        super().__init__(**kwargs)
        self.on_files = on_files
        self._tmp: Path | None = None
        self._names: list[str] = []
        self._handles: dict[int, object] = {}
        self._received: dict[int, int] = {}
        self.on_msg(self._on_msg)

    def _close_all(self) -> None:
        for h in self._handles.values():
            h.close()
        self._handles = {}
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _on_msg(self, _widget, content, buffers) -> None:
        event = content.get("event")
        if event == "too_big":
            self.status = (f"{content.get('name', 'That file')} is "
                           f"{size_text(int(content.get('size', 0)))}: the app takes files up "
                           f"to {size_text(self.max_bytes)}. For bigger files use "
                           "'rcm kpi' on the command line.")
        elif event == "start":
            self._close_all()
            self._tmp = Path(tempfile.mkdtemp(prefix="rcm-upload-"))
            self._names = [str(n) for n in content.get("names", [])]
            self._received = {}
            self.status = "Receiving..."
        elif event == "chunk" and self._tmp is not None:
            i = int(content["index"])
            if i not in self._handles:
                # Our own file names: an uploaded name may carry a patient's name.
                suffix = re.sub(r"[^a-z0-9.]", "", Path(self._names[i]).suffix.lower())
                self._handles[i] = open(self._tmp / f"upload-{i + 1}{suffix}", "wb")
            for b in buffers or []:
                self._received[i] = self._received.get(i, 0) + len(b)
                if self._received[i] > self.max_bytes:   # the page checks; so do we
                    self._close_all()
                    self.status = (f"That upload is over {size_text(self.max_bytes)}: the "
                                   "app takes files up to that size. For bigger files use "
                                   "'rcm kpi' on the command line.")
                    return
                self._handles[i].write(bytes(b))
        elif event == "end" and self._tmp is not None:
            paths = [Path(h.name) for _, h in sorted(self._handles.items())]
            for h in self._handles.values():
                h.close()
            self._handles = {}
            try:
                self.status = "Reading..."
                message = self.on_files(list(zip(self._names, paths)))
                self.status = message or ""
            except RcmInputError as exc:   # the owner sees a sentence, never a traceback
                self.status = f"Could not read that file: {exc}"
            except Exception as exc:       # a bug: said on the page, with what it was
                self.status = f"Could not read that file ({type(exc).__name__}: {exc})"
            finally:
                self._close_all()


class Download(anywidget.AnyWidget):
    """A button that makes a file in the kernel and hands it to the browser to save.

    ``make()`` returns ``(file_name, bytes, mime_type)``; an exception becomes the status
    line under the button (in words), and nothing is saved.
    """

    _esm = _DOWNLOAD_JS
    _css = _CSS
    label = traitlets.Unicode("Download").tag(sync=True)
    busy_label = traitlets.Unicode("Preparing...").tag(sync=True)
    busy = traitlets.Bool(False).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(self, make: Callable, **kwargs):
        super().__init__(**kwargs)
        self.make = make
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget, content, buffers) -> None:
        if content.get("event") != "click" or self.busy:
            return
        self.busy, self.status = True, ""
        # In a thread: the kernel keeps answering the page while a report is written, and
        # the report's own kernel gets an event loop of its own (the kernel's is running).
        threading.Thread(target=self._make, daemon=True).start()

    def _make(self) -> None:
        try:
            name, data, mime = self.make()
        except RcmInputError as exc:       # what she can fix, in words
            self.status = str(exc)
            return
        except Exception as exc:           # a bug: the page says what failed, nothing saved
            self.status = f"{self.label} failed ({type(exc).__name__}: {exc}); nothing " \
                          "was saved."
            return
        finally:
            self.busy = False
        self.status = f"Saved {name} ({size_text(len(data))}) to your downloads."
        self.send({"event": "file", "name": name, "mime": mime}, [data])

    def wait(self, timeout: float | None = None) -> None:
        """Block until the file being made is done (tests, notebooks)."""
        import time

        end = None if timeout is None else time.monotonic() + timeout
        while self.busy and (end is None or time.monotonic() < end):
            time.sleep(0.05)
