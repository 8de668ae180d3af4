/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import { rememberedHtml, renderToString } from "../render.ts";
import type { Involvement } from "../../src/rooms/memberships.ts";
import { domId } from "../../src/realtime/protocol.ts";

const LABELS: Record<Involvement, { label: string; hint: string }> = {
  everything: { label: "All messages", hint: "Notify me about every message" },
  mentions: { label: "Mentions", hint: "Notify me when someone mentions me" },
  nothing: { label: "Nothing", hint: "No notifications; the room is still marked unread" },
  invisible: { label: "Hidden", hint: "Hide the room from my sidebar" },
};

/** The bell in the room header: how much this room may ask for the reader's attention. */
type InvolvementProps = { roomId: number; involvement: Involvement; kind: "open" | "closed" | "direct" };

// Shown on every room page, and it depends on nothing but these three values.
const controls = rememberedHtml();
export const InvolvementControl: FC<InvolvementProps> = (props) =>
  raw(controls(`${props.roomId}:${props.involvement}:${props.kind}`, () => renderToString(<Control {...props} />)));

const Control: FC<InvolvementProps> = ({ roomId, involvement, kind }) => {
  const levels: Involvement[] = kind === "direct" ? ["everything", "nothing", "invisible"] : ["everything", "mentions", "nothing", "invisible"];
  return (
    <details id={domId("room", roomId, "involvement")} class="involvement" data-involvement={involvement}>
      <summary class="involvement__summary" title={`Notifications: ${LABELS[involvement].label}`}>
        <span class="involvement__label">Notify: {LABELS[involvement].label}</span>
      </summary>
      <form class="involvement__menu" hx-patch={`/rooms/${roomId}/involvement`} hx-target="closest details" hx-swap="outerHTML">
        {levels.map((level) => (
          <button type="submit" name="involvement" value={level} class="involvement__option" aria-pressed={level === involvement ? "true" : "false"}>
            <strong>{LABELS[level].label}</strong>
            <span>{LABELS[level].hint}</span>
          </button>
        ))}
      </form>
    </details>
  );
};
