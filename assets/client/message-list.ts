// The room's message list as it is on screen, shared by the socket (where to resume) and the list itself.
export const list = (): HTMLElement | null => document.querySelector<HTMLElement>("[data-messages]");
export const confirmed = (container: ParentNode): NodeListOf<HTMLElement> => container.querySelectorAll<HTMLElement>(".message[data-message-id]");

export function lastId(): number {
  const container = list();
  const messages = container ? confirmed(container) : [];
  return messages.length ? Number(messages[messages.length - 1]!.dataset.messageId) : 0;
}
