// A separate process making gateway calls, for the tests and the benchmark that check a rate limit shared
// through Redis by several processes. Takes one JSON argument; makes one warm-up call (connects Redis),
// prints "ready", waits for a line "go" on stdin (so that several workers start together), makes `calls`
// calls at once through a Redis-backed gateway and prints one JSON line: { ok, failed, wallMs, stats }.
//
//   node --import tsx lib/llm/testing/gateway-client.ts '{"baseURL":"http://127.0.0.1:8787/v1",
//     "redisUrl":"redis://127.0.0.1:6379","keyPrefix":"strop-bench:","calls":100,
//     "requestsPerMinute":3000,"concurrency":16}'
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createLlm } from "../gateway";

export interface GatewayClientJob {
  baseURL: string;
  redisUrl: string;
  keyPrefix: string;
  calls: number;
  requestsPerMinute: number;
  concurrency: number;
  /** Model name (default "m"). */
  model?: string;
  /** Distinguishes the prompts of several workers. */
  worker?: string;
}

export interface GatewayClientResult {
  ok: number;
  failed: number;
  wallMs: number;
  stats: ReturnType<ReturnType<typeof createLlm>["stats"]>;
}

async function main(job: GatewayClientJob): Promise<void> {
  const model = `openai-compatible:${job.model ?? "m"}`;
  const llm = createLlm({
    env: {},
    redis: { url: job.redisUrl, keyPrefix: job.keyPrefix },
    models: {
      [model]: {
        baseURL: job.baseURL,
        concurrency: job.concurrency,
        rateLimit: { requestsPerMinute: job.requestsPerMinute },
      },
    },
  });
  // One call before the start connects to Redis and loads the script (the server sees it before "go").
  await llm.generate({ model, messages: [{ role: "user", content: `${job.worker ?? "w"} warm-up` }] });
  process.stdout.write("ready\n");
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === "go") break;
  lines.close();
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: job.calls }, (_, i) =>
      llm.generate({ model, messages: [{ role: "user", content: `${job.worker ?? "w"} call ${i}` }] }),
    ),
  );
  const wallMs = performance.now() - started;
  const ok = results.filter((r) => r.status === "fulfilled").length;
  const output: GatewayClientResult = { ok, failed: job.calls - ok, wallMs, stats: llm.stats() };
  await llm.close();
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

/** Test and benchmark side: starts `jobs` as worker processes, starts them together, collects results. */
export async function runGatewayClients(
  jobs: GatewayClientJob[],
  onStart: () => void = () => {},
): Promise<GatewayClientResult[]> {
  const { spawn } = await import("node:child_process");
  const here = fileURLToPath(import.meta.url);
  const children = jobs.map((job) => {
    const child = spawn(process.execPath, ["--import", "tsx", here, JSON.stringify(job)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("ready\n")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`gateway client exited with ${code} before starting`)));
    });
    const done = new Promise<GatewayClientResult>((resolve, reject) => {
      child.once("exit", (code) => {
        const last = out.trim().split("\n").at(-1) ?? "";
        if (code === 0) resolve(JSON.parse(last) as GatewayClientResult);
        else reject(new Error(`gateway client exited with ${code}`));
      });
    });
    done.catch(() => undefined); // reported through Promise.all below (or `ready`)
    return { child, ready, done };
  });
  await Promise.all(children.map((c) => c.ready));
  onStart();
  for (const c of children) c.child.stdin.write("go\n");
  return Promise.all(children.map((c) => c.done));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(JSON.parse(process.argv[2] ?? "{}") as GatewayClientJob).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
