// @ts-nocheck: still the plain script, joined as text; typed in the next commit.
// The composer: Enter sends, Shift+Enter adds a line. A message shows at once as pending, is
// confirmed in place by the server's fragment, and can be retried (same client_message_id, so
// never twice) when posting fails. Typing is announced to the room, throttled.
(() => {
  const TYPING_THROTTLE_MS = 1000;
  let lastTypingSent = 0;

  const roomId = (form) => Number(form.closest("main.room").dataset.roomId);

  function typing(form, state) {
    const now = Date.now();
    if (state === "start" && now - lastTypingSent < TYPING_THROTTLE_MS) return;
    lastTypingSent = state === "start" ? now : 0;
    Campfire.socket.send({ type: "typing", room_id: roomId(form), state });
  }

  function pendingMessage(text, clientMessageId) {
    const copy = document.getElementById("pending_message_template").content.firstElementChild.cloneNode(true);
    copy.dataset.clientMessageId = clientMessageId;
    copy.dataset.creatorId = document.body.dataset.userId;
    copy.classList.add("message--me");
    copy.querySelector(".message__author").textContent = document.body.dataset.userName;
    copy.querySelector(".message__body").textContent = text;
    return copy;
  }

  function fail(pending, reason) {
    pending.classList.add("message--failed");
    pending.querySelector(".message__status").textContent = reason;
    pending.querySelector("[data-retry]").hidden = false;
  }

  async function post(form, pending, text) {
    pending.classList.remove("message--failed");
    pending.querySelector(".message__status").textContent = "Sending…";
    pending.querySelector("[data-retry]").hidden = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "HX-Request": "true", Accept: "text/html" },
        body: new URLSearchParams({ body: text, client_message_id: pending.dataset.clientMessageId }),
      });
      const html = await response.text();
      if (response.ok) Campfire.messages.receive(html, { own: true });
      else if (response.status === 401) window.location.href = "/session/new";
      else fail(pending, `Not sent: ${Campfire.flash(html)}`);
    } catch {
      fail(pending, "Not sent: no connection.");
    }
  }

  function send(form) {
    const input = form.elements.body;
    const text = input.value;
    if (!text.trim()) return;
    const pending = pendingMessage(text, crypto.randomUUID());
    const list = document.querySelector("[data-messages]");
    list.append(pending);
    list.scrollTop = list.scrollHeight;
    document.querySelector("[data-empty-note]")?.setAttribute("hidden", "");
    input.value = "";
    Campfire.mentions.close();
    resize(input);
    typing(form, "stop");
    post(form, pending, text);
  }

  function resize(input) {
    input.style.height = "auto";
    input.style.height = `${input.scrollHeight}px`;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-composer]");
    if (!form) return;
    event.preventDefault();
    send(form);
  });

  document.addEventListener("keydown", (event) => {
    const form = event.target.closest?.("[data-composer]");
    if (!form || event.target.name !== "body" || Campfire.mentions.handleKey(event)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(form);
    } else if (event.key === "ArrowUp" && event.target.value === "" && Campfire.messages.editLast()) {
      event.preventDefault();
    }
  });

  document.addEventListener("input", (event) => {
    const form = event.target.closest?.("[data-composer]");
    if (!form) return;
    resize(event.target);
    typing(form, event.target.value.trim() ? "start" : "stop");
  });

  document.addEventListener("click", (event) => {
    const retry = event.target.closest("[data-retry]");
    if (!retry) return;
    const pending = retry.closest(".message--pending");
    post(document.querySelector("[data-composer]"), pending, pending.querySelector(".message__body").textContent);
  });
})();
