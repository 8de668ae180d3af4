/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { shownBody } from "../../src/messages/mentions.ts";
import type { Message } from "../../src/messages/messages.ts";
import { editableText } from "../../src/messages/sanitize.ts";
import { domId } from "../../src/realtime/protocol.ts";
import { FormError } from "../shared/flash.tsx";

/** Takes the message's place while it is edited; saving or cancelling swaps the message back in. */
export const MessageEditForm: FC<{ message: Message; body?: string; error?: string }> = ({ message, body, error }) => {
  const path = `/rooms/${message.roomId}/messages/${message.id}`;
  return (
    <form
      id={domId("message", message.id)}
      class="message message--editing"
      data-message-id={message.id}
      data-creator-id={message.creatorId}
      hx-patch={path}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <FormError message={error} />
      <label class="visually-hidden" for={domId("message", message.id, "body")}>
        Edit message
      </label>
      <textarea id={domId("message", message.id, "body")} class="message__editor" name="body" rows={3} required data-edit-body>
        {body ?? editableText(shownBody(message))}
      </textarea>
      <div class="message__edit-actions">
        <button type="button" class="button button--quiet" hx-get={path} hx-target="closest form" hx-swap="outerHTML" data-edit-cancel>
          Cancel
        </button>
        <button type="submit" class="button button--primary">
          Save
        </button>
      </div>
    </form>
  );
};
