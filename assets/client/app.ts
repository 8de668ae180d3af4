// Campfire's client: small modules bundled into one file by Bun.build (src/http/client-bundle.ts).
// Behaviour hangs off data attributes because the Content-Security-Policy forbids inline handlers.
// Each module wires itself to the document when imported, in this order.
import "./flash.ts";
import "./password.ts";
import "./socket.ts";
import "./messages.ts";
import "./mentions.ts";
import "./boosts.ts";
import "./avatars.ts";
import "./people.ts";
import "./rich-composer.ts";
import "./composer.ts";
import "./uploads.ts";
import "./lightbox.ts";
import "./sidebar.ts";
import "./picker.ts";
import "./copy.ts";
import "./emoji.ts";
import "./notifications.ts";
import "./search.ts";
