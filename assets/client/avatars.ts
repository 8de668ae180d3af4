// Someone changed their picture: every face of theirs on this page (messages, presence, sidebar)
// becomes the one the server rendered, so the change shows at once without a reload.
import { FRAME } from "../../src/realtime/protocol.ts";
import { on } from "./socket.ts";

export function replaceFaces(userId: string, content: DocumentFragment): void {
  const face = content.firstElementChild;
  if (!face) return;
  const faces = document.querySelectorAll(
    `[data-avatar-of="${CSS.escape(userId)}"], .message[data-creator-id="${CSS.escape(userId)}"] > .avatar`,
  );
  for (const old of faces) {
    const fresh = face.cloneNode(true) as Element;
    // A message's face carries no data-avatar-of (the article names the author); keep it that way.
    if (!old.hasAttribute("data-avatar-of")) fresh.removeAttribute("data-avatar-of");
    old.replaceWith(fresh);
  }
}

on(FRAME.avatar, ({ userId }, content) => replaceFaces(userId, content));
