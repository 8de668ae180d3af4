/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { shownBody } from "../../src/messages/mentions.ts";
import type { Message } from "../../src/messages/messages.ts";
import { editableHtml, editableText } from "../../src/messages/sanitize.ts";
import { domId } from "../../src/realtime/protocol.ts";
import { FormError } from "../shared/flash.tsx";

/**
 * Takes the message's place while it is edited; saving or cancelling swaps the message back in. A
 * message written with the toolbar is edited with it (Trix, loaded from the hidden body_html), text as text.
 * `body` is what was just sent, when saving it was refused.
 */
export const MessageEditForm: FC<{ message: Message; rich: boolean; body?: string; error?: string }> = ({ message, rich, body, error }) => {
  const path = `/rooms/${message.roomId}/messages/${message.id}`;
  const fieldId = domId("message", message.id, "body");
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
      <ul class="composer__mentions" data-mention-list role="listbox" aria-label="People to mention" hidden></ul>
      <ul class="composer__mentions" data-emoji-list role="listbox" aria-label="Emoji" hidden></ul>
      {rich ? (
        <>
          <input
            type="hidden"
            id={domId("message", message.id, "body_html")}
            name="body_html"
            value={body ?? editableHtml(shownBody(message))}
          />
          <trix-editor
            id={fieldId}
            class="message__editor message__editor--rich"
            input={domId("message", message.id, "body_html")}
            aria-label="Edit message"
            data-edit-body
          ></trix-editor>
        </>
      ) : (
        <>
          <label class="visually-hidden" for={fieldId}>
            Edit message
          </label>
          <textarea id={fieldId} class="message__editor" name="body" rows={3} required data-edit-body>
            {body ?? editableText(shownBody(message))}
          </textarea>
        </>
      )}
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
