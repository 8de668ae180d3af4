/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { Layout } from "../layout.tsx";

const TITLES: Record<number, string> = {
  400: "That didn't work",
  401: "Please sign in",
  403: "Not allowed",
  404: "Page not found",
  413: "That's too big",
  422: "Please check that",
  429: "Slow down a little",
  500: "Something went wrong",
};

export const ErrorPage: FC<{ status: number; title?: string; message: string; requestId: string }> = ({
  status,
  title,
  message,
  requestId,
}) => {
  const heading = title ?? TITLES[status] ?? "Something went wrong";
  return (
    <Layout title={`${heading} · Campfire`} bodyClass="panel-page">
      <main class="panel">
        <h1 class="panel__title">{heading}</h1>
        <p class="panel__text">{message}</p>
        <p class="panel__actions">
          <a class="button" href="/">
            Go to Campfire
          </a>
        </p>
        {status >= 500 ? <p class="panel__fineprint">Request {requestId}</p> : null}
      </main>
    </Layout>
  );
};
