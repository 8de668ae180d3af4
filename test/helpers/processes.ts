/** A port nobody is using right now, for servers started as separate processes. */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/** Polls /up until it answers 200; returns the milliseconds since `started`. */
export async function waitUntilUp(
  base: string,
  { started = performance.now(), intervalMs = 20, timeoutMs = 10_000 } = {},
): Promise<number> {
  while (performance.now() - started < timeoutMs) {
    try {
      if ((await fetch(`${base}/up`)).status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await Bun.sleep(intervalMs);
  }
  throw new Error(`${base} did not come up within ${timeoutMs} ms`);
}

/** Runs a command to completion, feeding it `stdin`, and returns what it printed. */
export async function run(cmd: string[], options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}) {
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, exitCode };
}
