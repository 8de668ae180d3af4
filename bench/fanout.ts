// Fan-out load generator, its own process: N WebSocket clients enter one room, then M messages are
// posted over HTTP at a fixed concurrency by several people. Every message frame is counted per
// client, so a lost or duplicated frame is reported (and fails the run in bench/run.ts).
// Usage: bun bench/fanout.ts CONFIG.json. It prints "READY" once every client receives messages,
// waits for a line on stdin (the caller measures the server's memory then), and ends with one
// JSON line of results.
export type FanoutConfig = {
  base: string;
  roomId: number;
  /** One session cookie per client ("" for the limit, which has no sessions). */
  receivers: string[];
  posters: string[];
  messages: number;
  concurrency: number;
};
export type FanoutResult = {
  clients: number;
  messages: number;
  msgsPerSec: number;
  framesPerSec: number;
  p50: number;
  p99: number;
  lost: number;
  duplicated: number;
  frameBytes: number;
  postErrors: number;
};

const CONNECT_BATCH = 250;
const WARMUP_MESSAGES = 20;
const DELIVERY_TIMEOUT_MS = 30_000;
const MARKER = 'data-client-message-id="';

const config: FanoutConfig = await Bun.file(Bun.argv[2]!).json();
const clients = config.receivers.length;
const runId = Math.random().toString(36).slice(2, 8);
const origin = config.base;
const wsUrl = `${config.base.replace(/^http/, "ws")}/cable`;

// seen[client * M + k] counts message k's frames at that client; a second one is a duplicate.
const seen = new Uint8Array(clients * config.messages);
const reached = new Uint32Array(config.messages);
const doneAt = new Float64Array(config.messages);
const postedAt = new Float64Array(config.messages);
let completed = 0;
let duplicated = 0;
let frameBytes = 0;
let frames = 0;
const warmups = new Map<string, number>();

function onFrame(client: number, data: string): void {
  let at = data.indexOf(MARKER);
  while (at !== -1) {
    const start = at + MARKER.length;
    const end = data.indexOf('"', start);
    const id = data.slice(start, end);
    if (id.startsWith(`m-${runId}-`)) {
      const k = Number(id.slice(runId.length + 3));
      const slot = client * config.messages + k;
      const before = seen[slot]!;
      seen[slot] = before + 1;
      if (before > 0) duplicated++;
      else if (++reached[k]! === clients) {
        doneAt[k] = performance.now();
        completed++;
      }
      frames++;
      frameBytes += data.length;
    } else if (id.startsWith(`w-${runId}-`)) warmups.set(id, (warmups.get(id) ?? 0) + 1);
    at = data.indexOf(MARKER, end);
  }
}

function connect(client: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const cookie = config.receivers[client]!;
    const ws = new WebSocket(wsUrl, { headers: cookie ? { cookie, origin } : { origin } } as unknown as string[]);
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "enter", room_id: config.roomId }));
      resolve(ws);
    };
    ws.onerror = () => reject(new Error(`client ${client} could not connect`));
    ws.onmessage = (event) => onFrame(client, event.data as string);
  });
}

async function post(cookie: string, clientMessageId: string, body: string): Promise<boolean> {
  const response = await fetch(`${config.base}/rooms/${config.roomId}/messages`, {
    method: "POST",
    headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ body, client_message_id: clientMessageId }).toString(),
  });
  await response.arrayBuffer();
  return response.status === 201;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await Bun.sleep(2);
  }
  return true;
}

const sockets: WebSocket[] = [];
for (let first = 0; first < clients; first += CONNECT_BATCH)
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, clients - first) }, (_, i) => connect(first + i)))));

// An "enter" is handled in order with the socket's other frames but not with other connections'
// posts, so warm-up messages go out until one reaches everyone; then a few more warm the JIT.
let ready = false;
for (let attempt = 0; attempt < 20 && !ready; attempt++) {
  const id = `w-${runId}-ready${attempt}`;
  await post(config.posters[0]!, id, "Is everyone here?");
  ready = await until(() => warmups.get(id) === clients, 3000);
}
if (!ready) throw new Error("not every client received the warm-up messages");
for (let i = 0; i < WARMUP_MESSAGES; i++) {
  const id = `w-${runId}-${i}`;
  await post(config.posters[i % config.posters.length]!, id, `Warming up ${i}`);
}
await until(() => warmups.get(`w-${runId}-${WARMUP_MESSAGES - 1}`) === clients, DELIVERY_TIMEOUT_MS);

console.log("READY");
for await (const _line of console) break;

let postErrors = 0;
let next = 0;
const started = performance.now();
async function poster(worker: number) {
  const cookie = config.posters[worker % config.posters.length]!;
  for (let k = next++; k < config.messages; k = next++) {
    postedAt[k] = performance.now();
    const body = `Message ${k} of the fan-out run: the deploy went out and the dashboard looks good.`;
    if (!(await post(cookie, `m-${runId}-${k}`, body))) postErrors++;
  }
}
await Promise.all(Array.from({ length: config.concurrency }, (_, worker) => poster(worker)));
await until(() => completed === config.messages, DELIVERY_TIMEOUT_MS);

let delivered = 0;
for (const count of reached) delivered += count;
const latencies: number[] = [];
let last = started;
for (let k = 0; k < config.messages; k++)
  if (doneAt[k]! > 0) {
    latencies.push(doneAt[k]! - postedAt[k]!);
    last = Math.max(last, doneAt[k]!);
  }
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
const seconds = (last - started) / 1000;
for (const ws of sockets) ws.close();
const result: FanoutResult = {
  clients,
  messages: config.messages,
  msgsPerSec: completed / seconds,
  framesPerSec: delivered / seconds,
  p50: pct(50),
  p99: pct(99),
  lost: clients * config.messages - delivered,
  duplicated,
  frameBytes: frames > 0 ? Math.round(frameBytes / frames) : 0,
  postErrors,
};
console.log(JSON.stringify(result));
process.exit(0);
