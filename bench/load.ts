// Load generator, run as its own process so it never shares a thread with the server.
// Usage: bun bench/load.ts URL CONNECTIONS SECONDS [COOKIE]  → prints one JSON line.
export {};
const [url, connectionsArg, secondsArg, cookie] = Bun.argv.slice(2);
if (!url || !connectionsArg || !secondsArg) throw new Error("usage: bun bench/load.ts URL CONNECTIONS SECONDS [COOKIE]");
const connections = Number(connectionsArg);
const durationMs = Number(secondsArg) * 1000;
const headers: Record<string, string> = cookie ? { cookie } : {};

const latencies: number[] = [];
let errors = 0;
const started = performance.now();
const deadline = started + durationMs;

async function worker() {
  while (performance.now() < deadline) {
    const t0 = performance.now();
    try {
      const response = await fetch(url!, { headers, redirect: "manual" });
      await response.arrayBuffer();
      if (response.status >= 400) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t0);
  }
}

await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
console.log(JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(50), p99: pct(99) }));
