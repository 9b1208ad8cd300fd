// Scenario (d) of `npm run bench`: batches of 100,000 rows and of 10,000 (`strop batch` as users run it, a
// fresh process each, against the fake server): peak RSS ≤ 300 MB, and the 100k peak within ±20% of the
// 10k peak — a batch's memory does not grow with its rows.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fmt, root, row, startFake } from "./bench-support";

interface BatchChildResult {
  rows: number;
  wallMs: number;
  /** Peak RSS of the `strop batch` process (VmHWM, else resourceUsage's maxRSS), in MB. */
  peakRssMb: number;
  exitCode: number | null;
  outcome: { status: string; doneRows: number; failedRows: number; totalRows: number; calls: number };
}

/**
 * Preloaded into the measured `strop batch` process: at exit it writes its peak RSS to stderr (the
 * process is the CLI as users run it, with nothing of the benchmark loaded).
 */
const PEAK_RSS_REPORTER = `data:text/javascript,${encodeURIComponent(
  `import { readFileSync } from "node:fs";
process.on("exit", () => {
  let kb = process.resourceUsage().maxRSS;
  try { kb = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]); } catch {}
  process.stderr.write("PEAK-RSS-KB " + kb + "\\n");
});`,
)}`;

/** A CSV of `n` distinct rows, written as a stream. */
async function writeRows(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  out.write("id,text\n");
  for (let i = 1; i <= n; i++) {
    const line = `${i},"Review ${i}: the film was better than I expected, and the ending surprised me."\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
}

/** Counts the result file's rows and those done, streaming. */
async function countResults(file: string): Promise<{ lines: number; done: number }> {
  let lines = 0;
  let done = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (!line) continue;
    lines++;
    if ((JSON.parse(line) as { status: string }).status === "done") done++;
  }
  return { lines, done };
}

async function runBatchChild(
  dir: string,
  task: string,
  n: number,
  baseURL: string,
): Promise<BatchChildResult> {
  const input = path.join(dir, `rows-${n}.csv`);
  const out = path.join(dir, `results-${n}.jsonl`);
  await writeRows(input, n);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--import",
      PEAK_RSS_REPORTER,
      path.join(root, "bin/strop.mjs"),
      "batch",
      task,
      "--input",
      input,
      "--out",
      out,
      "--json",
      "--quiet",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(dir, `batch-${n}.db`)}`,
        OPENAI_COMPATIBLE_BASE_URL: baseURL,
        REDIS_URL: "",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [exitCode] = (await once(child, "exit")) as [number | null];
  const wallMs = performance.now() - started;
  const peak = /PEAK-RSS-KB (\d+)/.exec(stderr);
  if (!peak || exitCode !== 0)
    throw new Error(`strop batch (${n} rows) exited with ${exitCode}:\n${stdout}\n${stderr}`);
  const counted = await countResults(out);
  if (counted.lines !== n || counted.done !== n)
    throw new Error(`batch of ${n}: the result file has ${counted.lines} rows, ${counted.done} done`);
  rmSync(input, { force: true });
  rmSync(out, { force: true });
  rmSync(path.join(dir, `batch-${n}.db`), { force: true });
  return { rows: n, wallMs, peakRssMb: Number(peak[1]) / 1024, exitCode, outcome: JSON.parse(stdout) };
}

/** Runs (d) for batches of each size in `sizes` (rows). */
export async function scenarioD(sizes: number[]): Promise<void> {
  const latency = 5;
  const concurrency = 32;
  const server = await startFake(["--latency", String(latency), "--reply", "positive", "--no-record"]);
  const dir = mkdtempSync(path.join(os.tmpdir(), "strop-bench-batch-"));
  try {
    const task = path.join(dir, "task.yaml");
    writeFileSync(
      task,
      [
        "name: bench-batch",
        "prompt:",
        "  system: You are a sentiment classifier. Answer positive or negative.",
        '  output: "Classify: {{text}}"',
        "dataset: { path: unused.csv }",
        "models:",
        `  task: { id: "openai-compatible:bench", concurrency: ${concurrency} }`,
        `  optimizer: { id: "openai-compatible:bench", concurrency: ${concurrency} }`,
        "metrics: [{ name: exact_match }]",
        "",
      ].join("\n"),
    );
    const results: BatchChildResult[] = [];
    for (const n of sizes) {
      const r = await runBatchChild(dir, task, n, server.baseURL);
      results.push(r);
      console.log(
        `(d) ${n.toLocaleString("en-US")} rows: ${fmt(r.wallMs)} (${Math.round((n / r.wallMs) * 1000)} rows/s), ` +
          `peak RSS ${r.peakRssMb.toFixed(1)} MB; ${r.outcome.doneRows} done, ${r.outcome.failedRows} failed, ` +
          `${r.outcome.calls} calls, exit ${r.exitCode}`,
      );
      row(
        "d",
        `peak RSS, ${n.toLocaleString("en-US")} rows`,
        `${r.peakRssMb.toFixed(1)} MB (${fmt(r.wallMs)}, ${Math.round((n / r.wallMs) * 1000)} rows/s)`,
        "≤ 300 MB",
        r.peakRssMb <= 300 && r.exitCode === 0 && r.outcome.doneRows === n && r.outcome.failedRows === 0,
      );
    }
    const small = results.find((r) => r.rows === Math.min(...sizes));
    const large = results.find((r) => r.rows === Math.max(...sizes));
    if (small && large && small !== large) {
      const ratio = large.peakRssMb / small.peakRssMb;
      row(
        "d",
        `peak RSS ${large.rows.toLocaleString("en-US")} vs ${small.rows.toLocaleString("en-US")} rows`,
        `${ratio.toFixed(3)}× (${large.peakRssMb.toFixed(1)} / ${small.peakRssMb.toFixed(1)} MB)`,
        "within ±20%",
        Math.abs(ratio - 1) <= 0.2,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}
