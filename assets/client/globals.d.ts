// htmx is loaded by its own script tag (the htmx.js asset) before this bundle runs.
declare const htmx: typeof import("htmx.org").default;
