/** Every element id the server and the client script agree on comes from here: domId("message", 42) → "message_42". */
export const domId = (kind: string, id: number, suffix?: string): string =>
  suffix ? `${kind}_${id}_${suffix}` : `${kind}_${id}`;
