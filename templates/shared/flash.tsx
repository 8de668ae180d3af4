/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

export const Flash: FC<{ kind: "notice" | "alert"; message: string }> = ({ kind, message }) => (
  <div class={`flash__message flash__message--${kind}`} role={kind === "alert" ? "alert" : "status"}>
    <span>{message}</span>
    <button type="button" class="flash__close" data-flash-close aria-label="Dismiss">
      ×
    </button>
  </div>
);

export const FormError: FC<{ message?: string }> = ({ message }) =>
  message ? (
    <p class="form__error" role="alert">
      {message}
    </p>
  ) : null;
