// Files into a room: the attach button, pasting and dropping. Each file is its own message, sent
// with XHR (fetch has no upload progress) and shown at once as a pending message with a progress
// bar and a Cancel button. A file over the limit is refused here, before a byte is sent; the server
// checks again (413).
import { flash } from "./flash.ts";
import * as messages from "./messages.ts";

const composer = () => document.querySelector<HTMLFormElement>("[data-composer]");

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

function pendingUpload(file: File, clientMessageId: string): HTMLElement {
  const template = document.getElementById("pending_message_template") as HTMLTemplateElement;
  const pending = template.content.firstElementChild!.cloneNode(true) as HTMLElement;
  pending.dataset.clientMessageId = clientMessageId;
  pending.dataset.creatorId = document.body.dataset.userId;
  pending.classList.add("message--me", "message--uploading");
  pending.querySelector(".message__author")!.textContent = document.body.dataset.userName ?? null;
  pending.querySelector(".message__body")!.textContent = file.name;
  pending.querySelector(".message__status")!.textContent = "Uploading…";
  pending.querySelector<HTMLElement>("[data-upload-progress]")!.hidden = false;
  pending.querySelector<HTMLElement>("[data-cancel-upload]")!.hidden = false;
  return pending;
}

function failed(pending: HTMLElement, reason: string) {
  pending.classList.add("message--failed");
  pending.querySelector(".message__status")!.textContent = reason;
  pending.querySelector<HTMLElement>("[data-cancel-upload]")!.textContent = "Dismiss";
}

// Reading a video's header takes milliseconds; one the browser can't read is sent without a size.
const MEASURE_TIMEOUT_MS = 3000;

/**
 * A video's frame size, read by the browser from the file itself before it is sent, so the message
 * lays its player out at the right size before it loads (the server can't read every format cheaply;
 * a browser that can't read the file couldn't play it either). Null when it isn't a video or unreadable.
 */
function frameSize(file: File): Promise<{ width: number; height: number } | null> {
  if (!/^video\//.test(file.type)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const video = document.createElement("video");
    const url = URL.createObjectURL(file);
    const done = (size: { width: number; height: number } | null) => {
      clearTimeout(timer);
      video.removeAttribute("src");
      URL.revokeObjectURL(url);
      resolve(size);
    };
    const timer = setTimeout(() => done(null), MEASURE_TIMEOUT_MS);
    video.addEventListener("loadedmetadata", () =>
      done(video.videoWidth > 0 && video.videoHeight > 0 ? { width: video.videoWidth, height: video.videoHeight } : null),
    );
    video.addEventListener("error", () => done(null));
    video.preload = "metadata";
    video.muted = true;
    video.src = url;
  });
}

export async function upload(form: HTMLFormElement, file: File): Promise<void> {
  const limit = Number(form.dataset.maxUploadBytes);
  if (file.size > limit) {
    flash(`“${file.name}” is too large: at most ${megabytes(limit)} can be attached.`);
    return;
  }
  const clientMessageId = crypto.randomUUID();
  const pending = pendingUpload(file, clientMessageId);
  const list = document.querySelector("[data-messages]")!;
  list.append(pending);
  list.scrollTop = list.scrollHeight;
  document.querySelector("[data-empty-note]")?.setAttribute("hidden", "");

  const xhr = new XMLHttpRequest();
  pending.querySelector("[data-cancel-upload]")!.addEventListener("click", () => {
    xhr.abort();
    pending.remove();
  });
  const body = new FormData();
  body.set("client_message_id", clientMessageId);
  const frame = await frameSize(file);
  if (!pending.isConnected) return; // cancelled while the video was measured
  if (frame) {
    body.set("media_width", String(frame.width));
    body.set("media_height", String(frame.height));
  }
  body.set("attachment", file);
  const progress = pending.querySelector<HTMLProgressElement>("[data-upload-progress]")!;
  xhr.upload.addEventListener("progress", (event) => {
    if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
  });
  xhr.addEventListener("load", () => {
    if (xhr.status >= 200 && xhr.status < 300) messages.receive(xhr.responseText, { own: true });
    else if (xhr.status === 401) window.location.href = "/session/new";
    else failed(pending, `Not sent: ${flash(xhr.responseText)}`);
  });
  xhr.addEventListener("error", () => failed(pending, "Not sent: no connection."));
  xhr.open("POST", form.action);
  xhr.setRequestHeader("HX-Request", "true");
  xhr.setRequestHeader("Accept", "text/html");
  xhr.send(body);
}

const uploadAll = (form: HTMLFormElement, files: Iterable<File>) => {
  for (const file of files) void upload(form, file);
};

document.addEventListener("change", (event) => {
  const input = event.target as HTMLInputElement;
  const form = input.closest?.<HTMLFormElement>("[data-composer]");
  if (!form || !input.matches("[data-attach]") || !input.files) return;
  uploadAll(form, input.files);
  input.value = "";
});

document.addEventListener("paste", (event) => {
  const form = (event.target as Element).closest?.<HTMLFormElement>("[data-composer]");
  const files = event.clipboardData?.files;
  if (!form || !files || files.length === 0) return;
  event.preventDefault();
  uploadAll(form, files);
});

// Dropping anywhere on the room works; the room is marked while a file is dragged over it.
const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;
document.addEventListener("dragover", (event) => {
  if (!carriesFiles(event) || !composer()) return;
  event.preventDefault();
  document.querySelector("main.room")?.classList.add("room--dropping");
});
document.addEventListener("dragleave", (event) => {
  if (event.relatedTarget === null) document.querySelector("main.room")?.classList.remove("room--dropping");
});
document.addEventListener("drop", (event) => {
  const form = composer();
  document.querySelector("main.room")?.classList.remove("room--dropping");
  if (!form || !carriesFiles(event)) return;
  event.preventDefault();
  uploadAll(form, event.dataTransfer!.files);
});
