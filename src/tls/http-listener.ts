// With automatic HTTPS, port 80 does two things: it answers the CA's HTTP-01 challenges, and it
// sends everyone else to the same page over HTTPS.
import type { Server } from "bun";

const CHALLENGE_PATH = "/.well-known/acme-challenge/";

export function startHttpListener(options: {
  port: number;
  host: string;
  domain: string;
  httpsPort: number;
  challenges: Map<string, string>;
}): Server<undefined> {
  const origin = `https://${options.domain}${options.httpsPort === 443 ? "" : `:${options.httpsPort}`}`;
  return Bun.serve({
    port: options.port,
    hostname: options.host,
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname.startsWith(CHALLENGE_PATH)) {
        const answer = options.challenges.get(url.pathname.slice(CHALLENGE_PATH.length));
        return answer ? new Response(answer, { headers: { "Content-Type": "text/plain" } }) : new Response("Not found", { status: 404 });
      }
      return Response.redirect(`${origin}${url.pathname}${url.search}`, 301);
    },
  });
}
