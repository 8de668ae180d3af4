// @ts-nocheck: still the plain script, joined as text; typed in the next commit.
// The room's WebSocket (/cable), carried by htmx's ws extension: htmx swaps plain out-of-band
// fragments (presence); <template data-frame> frames go to the handlers registered here.
(() => {
  const PING_MS = 50_000;
  const SIGNED_OUT = 4401;
  const RETRIED_BY_HTMX = [1006, 1011, 1012, 1013];
  const handlers = {};
  let wrapper = null;
  let pingTimer = null;
  let attempts = 0;

  const roomElement = () => document.querySelector("main.room[data-room-id]");

  function send(frame) {
    if (wrapper) wrapper.send(JSON.stringify(frame));
  }

  function setConnected(connected) {
    const status = document.querySelector("[data-connection-status]");
    if (status) status.hidden = connected;
    document.body.classList.toggle("is-disconnected", !connected);
  }

  document.addEventListener("htmx:wsOpen", (event) => {
    wrapper = event.detail.socketWrapper;
    attempts = 0;
    setConnected(true);
    const room = roomElement();
    // `after` is the newest message on screen, so a reconnect brings exactly what was missed.
    if (room) send({ type: "enter", room_id: Number(room.dataset.roomId), after: Campfire.messages.lastId() });
    clearInterval(pingTimer);
    pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
  });

  document.addEventListener("htmx:wsClose", (event) => {
    clearInterval(pingTimer);
    if (!roomElement()) return;
    setConnected(false);
    const code = event.detail.event.code;
    if (code === SIGNED_OUT) {
      window.location.href = "/session/new";
      return;
    }
    // htmx retries abnormal closes itself; a server restart or shutdown closes cleanly, so retry those too.
    if (!RETRIED_BY_HTMX.includes(code)) {
      attempts += 1;
      const delay = Math.random() * 1000 * 2 ** Math.min(attempts, 5);
      setTimeout(() => event.detail.socketWrapper.reconnect(), delay);
    }
  });

  document.addEventListener("htmx:wsBeforeMessage", (event) => {
    const data = event.detail.message;
    if (typeof data !== "string" || !data.startsWith("<template data-frame")) return;
    event.preventDefault();
    const holder = document.createElement("template");
    holder.innerHTML = data;
    for (const frame of holder.content.querySelectorAll("template[data-frame]")) {
      for (const handle of handlers[frame.dataset.frame] ?? []) handle(frame.dataset, frame.content);
    }
  });

  Campfire.socket = {
    send,
    /** Adds something to do with one kind of frame: handler(dataset, content fragment), which it must not consume. */
    on(kind, handler) {
      (handlers[kind] ??= []).push(handler);
    },
  };
})();
