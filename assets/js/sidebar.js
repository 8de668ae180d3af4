// Live sidebar and room header: unread marks, rooms appearing, renamed, hidden or gone, direct
// messages ordered by recency, and who is typing.
(() => {
  const TYPING_EXPIRES_MS = 5000;
  const me = () => document.body.dataset.userId;
  const currentRoomId = () => document.querySelector("main.room[data-room-id]")?.dataset.roomId;
  const item = (roomId) => document.getElementById(`sidebar_room_${roomId}`);

  /** A direct room lists everyone; the reader sees the others (or themselves, in a note-to-self). */
  function nameDirects(root) {
    for (const names of root.querySelectorAll(".direct-names")) {
      const all = [...names.children];
      const others = all.filter((name) => name.dataset.userId !== me());
      for (const name of all) name.hidden = others.length > 0 && name.dataset.userId === me();
    }
  }

  function moveToTop(entry) {
    const directs = document.getElementById("direct_rooms");
    if (entry && directs && entry.parentElement === directs) directs.prepend(entry);
  }

  function insertSorted(entry) {
    if (entry.dataset.kind === "direct") {
      document.getElementById("direct_rooms")?.prepend(entry);
      return;
    }
    const shared = document.getElementById("shared_rooms");
    if (!shared) return;
    const name = entry.dataset.sortName || "";
    const next = [...shared.children].find((other) => (other.dataset.sortName || "") > name);
    shared.insertBefore(entry, next ?? null);
  }

  Campfire.socket.on("sidebar-room", (data, content) => {
    const entry = content.querySelector("li");
    if (!entry) return;
    const existing = item(data.roomId);
    if (existing) {
      // Unread and current are this reader's own marks; the broadcast copy knows nothing of them.
      for (const mark of ["sidebar__item--unread", "sidebar__item--current"])
        entry.classList.toggle(mark, existing.classList.contains(mark));
      existing.remove();
    }
    insertSorted(entry);
    nameDirects(entry);
  });

  Campfire.socket.on("sidebar-remove", (data) => item(data.roomId)?.remove());

  Campfire.socket.on("activity", (data) => {
    const entry = item(data.roomId);
    if (!entry) return;
    if (data.roomId !== currentRoomId() && data.creatorId !== me()) entry.classList.add("sidebar__item--unread");
    moveToTop(entry);
  });

  Campfire.socket.on("read", (data) => item(data.roomId)?.classList.remove("sidebar__item--unread"));

  Campfire.socket.on("room-removed", (data) => {
    item(data.roomId)?.remove();
    if (data.roomId !== currentRoomId()) return;
    Campfire.flash(data.reason);
    const composer = document.querySelector("[data-composer]");
    if (composer) for (const control of composer.elements) control.disabled = true;
  });

  Campfire.socket.on("refresh", (data) => {
    if (data.roomId === currentRoomId()) window.location.reload();
  });

  // Live messages in the open room move its direct conversation up, and end their authors' typing.
  document.addEventListener("htmx:wsBeforeMessage", (event) => {
    const frame = String(event.detail.message);
    if (!frame.startsWith('<template data-frame="messages"')) return;
    moveToTop(item(currentRoomId()));
    for (const [, id] of frame.matchAll(/data-creator-id="(\d+)"/g)) typists.delete(id);
    showTypists();
  });

  // Who is typing: names expire on their own, so a lost "stop" never leaves one behind.
  const typists = new Map();
  function showTypists() {
    const line = document.querySelector("[data-typing]");
    if (!line) return;
    const now = Date.now();
    for (const [id, typist] of typists) if (typist.until < now) typists.delete(id);
    const names = [...typists.values()].map((typist) => typist.name).sort();
    line.textContent =
      names.length === 0 ? "" : names.length === 1 ? `${names[0]} is typing…` : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : "Several people are typing…";
  }
  Campfire.socket.on("typing", (data) => {
    if (data.userId === me() || data.roomId !== currentRoomId()) return;
    if (data.state === "start") typists.set(data.userId, { name: data.userName, until: Date.now() + TYPING_EXPIRES_MS });
    else typists.delete(data.userId);
    showTypists();
  });
  setInterval(showTypists, 1000);

  Campfire.onLoad(nameDirects);
})();
