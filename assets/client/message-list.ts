// The room's message list as it is on screen, shared by the socket (where to resume) and the list itself.
export const list = (): HTMLElement | null => document.querySelector<HTMLElement>("[data-messages]");
export const confirmed = (container: ParentNode): NodeListOf<HTMLElement> =>
  container.querySelectorAll<HTMLElement>(".message[data-message-id]");

/** The room's latest change this page has: where the page was read, then the socket's frames. */
export function changeSeq(): number {
  return Number(list()?.dataset.changeSeq ?? 0);
}

/**
 * Only the socket's frames move it: they arrive in the order the changes were made, so every change
 * up to it is on screen. A POST reply or a page of history may be newer than frames still to come.
 */
export function noteChange(roomId: string, seq: number): void {
  const container = list();
  if (container && container.dataset.roomId === roomId && seq > changeSeq()) container.dataset.changeSeq = String(seq);
}
