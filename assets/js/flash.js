// Flash messages close on click and fade away by themselves after a while.
(() => {
  const FLASH_LIFETIME_MS = 8000;

  document.addEventListener("click", (event) => {
    const close = event.target.closest("[data-flash-close]");
    if (close) close.closest(".flash__message")?.remove();
  });

  Campfire.onLoad((root) => {
    const messages = root.matches?.(".flash__message") ? [root] : root.querySelectorAll(".flash__message");
    for (const message of messages) setTimeout(() => message.remove(), FLASH_LIFETIME_MS);
  });
})();
