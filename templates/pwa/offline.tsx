/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { Layout } from "../layout.tsx";
import { Logo } from "../shared/logo.tsx";

/** What the service worker shows instead of the browser's error when a page can't be reached. */
export const OfflinePage: FC = () => (
  <Layout title="Offline · Campfire" bodyClass="panel-page">
    <main class="panel">
      <Logo />
      <h1 class="panel__title">You're offline</h1>
      <p>Campfire can't reach its server right now. Check your connection; this page tries again when you reload it.</p>
      <p>
        <a class="button button--primary" href="/">
          Try again
        </a>
      </p>
    </main>
  </Layout>
);
