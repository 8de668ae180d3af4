/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { domId } from "../../src/realtime/protocol.ts";
import type { Involvement } from "../../src/rooms/memberships.ts";
import { Html, inJsx } from "../html.ts";
import { rememberedHtml, renderToString } from "../render.ts";

// Each level says what it sends: these are the rules push/rules.ts applies to every new message.
const LABELS: Record<Involvement, { label: string; hint: string }> = {
  everything: { label: "All messages", hint: "A notification for every message, unless you have the room open" },
  mentions: { label: "Mentions", hint: "A notification only when someone @mentions you" },
  nothing: { label: "Nothing", hint: "No notifications; the room is still marked unread" },
  invisible: { label: "Hidden", hint: "No notifications, and the room leaves your sidebar" },
};

/** The bell in the room header: how much this room may ask for the reader's attention. */
type InvolvementProps = { roomId: number; involvement: Involvement; kind: "open" | "closed" | "direct" };

// Shown on every room page, and it depends on nothing but these three values.
const controls = rememberedHtml();
export const involvementControlHtml = (roomId: number, involvement: Involvement, kind: InvolvementProps["kind"]): Html =>
  new Html(
    controls(`${roomId}:${involvement}:${kind}`, () => renderToString(<Control roomId={roomId} involvement={involvement} kind={kind} />)),
  );
export const InvolvementControl: FC<InvolvementProps> = ({ roomId, involvement, kind }) =>
  inJsx(involvementControlHtml(roomId, involvement, kind));

const Control: FC<InvolvementProps> = ({ roomId, involvement, kind }) => {
  const levels: Involvement[] =
    kind === "direct" ? ["everything", "nothing", "invisible"] : ["everything", "mentions", "nothing", "invisible"];
  return (
    <details id={domId("room", roomId, "involvement")} class="involvement" data-involvement={involvement}>
      <summary class="involvement__summary" title={`Notifications: ${LABELS[involvement].label}`}>
        <BellIcon muted={involvement === "nothing" || involvement === "invisible"} />
        <span class="involvement__label">Notify: {LABELS[involvement].label}</span>
      </summary>
      <form class="involvement__menu" hx-patch={`/rooms/${roomId}/involvement`} hx-target="closest details" hx-swap="outerHTML">
        {levels.map((level) => (
          <button
            type="submit"
            name="involvement"
            value={level}
            class="involvement__option"
            aria-pressed={level === involvement ? "true" : "false"}
          >
            <strong>{LABELS[level].label}</strong>
            <span>{LABELS[level].hint}</span>
          </button>
        ))}
        <a class="involvement__devices" href="/users/me/push_subscriptions">
          Notifications on your devices…
        </a>
      </form>
    </details>
  );
};

// On a phone the words give way to the icon alone, so the control never turns into an empty box.
// The sidebar's notifications link wears it too.
export const BellIcon: FC<{ muted: boolean; class?: string }> = ({ muted, class: className = "involvement__icon" }) => (
  <svg
    class={className}
    viewBox="0 0 24 24"
    width="18"
    height="18"
    aria-hidden="true"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
  >
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    {muted ? <path d="M3 3l18 18" /> : null}
  </svg>
);
