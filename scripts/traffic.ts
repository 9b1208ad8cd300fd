// Live traffic for an experiment, through the built app's API as applications and browsers send it:
// each subject is served (GET the prompt by label with `subject`, or generate with the
// `X-Strop-Subject` header), then answers thumbs_up — 1 with the chance its variant's rate gives —
// with the answer's feedback token (no key, as a browser) or with the API key and the generation id;
// every feedback carries an idempotency key and some are sent twice (a replay counts once). Then
// "Analyze now" until the experiment stops. Used by e2e/experiments.spec.ts; alone:
//
//   npx tsx scripts/traffic.ts --url http://127.0.0.1:3000 --project demo --prompt support \
//     --experiment <id> --viewer-key strop_… --editor-key strop_… [--subjects 200] [--rates 0.2,0.8]
import { assignmentPoint } from "../lib/core/experiments/assignment";

export interface TrafficOptions {
  url: string;
  project: string;
  prompt: string;
  experimentId: string;
  /** Reads the prompt (GET); the editor key generates. */
  viewerKey: string;
  editorKey: string;
  subjects: number;
  /** The chance of a thumbs-up per variant index (the "true" rates of the simulation). */
  rates: number[];
  variables?: Record<string, string>;
  /** Who sends (default: Node's fetch). */
  fetch?: typeof fetch;
}

export interface TrafficResult {
  /** Subjects per variant index. */
  exposures: number[];
  feedbackSent: number;
  replays: number;
}

async function send(f: typeof fetch, input: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await f(input, init);
    // A well-behaved client waits as long as the API says (per-key rate limit) and tries again.
    if (res.status !== 429 || attempt >= 10) return res;
    await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? 1) * 1000));
  }
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface Served {
  experiment?: { variant: number; exposureId: string };
  feedbackToken?: string;
  generationId?: string;
}

export async function sendExperimentTraffic(options: TrafficOptions): Promise<TrafficResult> {
  const f = options.fetch ?? fetch;
  const api = `${options.url}/api/v1`;
  const prompt = `${api}/projects/${options.project}/prompts/${encodeURIComponent(options.prompt)}`;
  const exposures = options.rates.map(() => 0);
  let feedbackSent = 0;
  let replays = 0;
  for (let i = 0; i < options.subjects; i++) {
    const subject = `subject-${i}`;
    const viaGenerate = i % 2 === 1;
    const served = viaGenerate
      ? await json<Served>(
          await send(f, `${prompt}/generate`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${options.editorKey}`,
              "content-type": "application/json",
              "x-strop-subject": subject,
            },
            body: JSON.stringify({ variables: options.variables ?? {} }),
          }),
          `generate for ${subject}`,
        )
      : await json<Served>(
          await send(f, `${prompt}?label=production&subject=${subject}`, {
            headers: { authorization: `Bearer ${options.viewerKey}` },
          }),
          `serve for ${subject}`,
        );
    if (!served.experiment) throw new Error(`${subject} was not served by the experiment`);
    const variant = served.experiment.variant;
    exposures[variant] = (exposures[variant] ?? 0) + 1;
    // Deterministic per subject: the same traffic gives the same data.
    const liked = assignmentPoint("thumbs", subject) < (options.rates[variant] ?? 0);
    const byKey = viaGenerate && i % 4 === 1;
    const body = byKey
      ? { generationId: served.generationId, name: "thumbs_up", value: liked, idempotencyKey: subject }
      : { token: served.feedbackToken, name: "thumbs_up", value: liked, idempotencyKey: subject };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (byKey) headers.authorization = `Bearer ${options.editorKey}`;
    const times = i % 10 === 0 ? 2 : 1;
    for (let t = 0; t < times; t++) {
      const recorded = await json<{ replayed: boolean }>(
        await send(f, `${api}/feedback`, { method: "POST", headers, body: JSON.stringify(body) }),
        `feedback of ${subject}`,
      );
      if (recorded.replayed) replays++;
      else feedbackSent++;
    }
  }
  return { exposures, feedbackSent, replays };
}

/**
 * Traffic before an experiment starts, for its CUPED: the first `subjects` subjects each generate once
 * with the subject header and answer thumbs_up by key — 1 when their own propensity (the draw the
 * experiment's traffic uses too) is below `rate` — so each has a pre-period value that predicts part of
 * its feedback in the experiment.
 */
export async function sendPrePeriodTraffic(
  options: Pick<TrafficOptions, "url" | "project" | "prompt" | "editorKey" | "variables" | "fetch">,
  subjects: number,
  rate = 0.5,
): Promise<number> {
  const f = options.fetch ?? fetch;
  const api = `${options.url}/api/v1`;
  const prompt = `${api}/projects/${options.project}/prompts/${encodeURIComponent(options.prompt)}`;
  const headers = { authorization: `Bearer ${options.editorKey}`, "content-type": "application/json" };
  for (let i = 0; i < subjects; i++) {
    const subject = `subject-${i}`;
    const served = await json<Served>(
      await send(f, `${prompt}/generate`, {
        method: "POST",
        headers: { ...headers, "x-strop-subject": subject },
        body: JSON.stringify({ variables: options.variables ?? {} }),
      }),
      `generate for ${subject} before the start`,
    );
    const liked = assignmentPoint("thumbs", subject) < rate;
    const body = {
      generationId: served.generationId,
      name: "thumbs_up",
      value: liked,
      idempotencyKey: `pre-${subject}`,
    };
    await json(
      await send(f, `${api}/feedback`, { method: "POST", headers, body: JSON.stringify(body) }),
      `feedback of ${subject} before the start`,
    );
  }
  return subjects;
}

export interface ExperimentState {
  status: string;
  decision: string | null;
  decisionReason: string | null;
  promotion: string | null;
  promotionStatus: string | null;
  winnerVariant: number | null;
  analyses: unknown[];
}

/**
 * "Analyze now", then waits until that analysis is stored and the promotion it handed over (a job of its
 * own) has finished; returns the experiment.
 */
export async function analyzeNow(
  options: Pick<TrafficOptions, "url" | "project" | "experimentId" | "editorKey" | "fetch">,
): Promise<ExperimentState> {
  const f = options.fetch ?? fetch;
  const base = `${options.url}/api/v1/projects/${options.project}/experiments/${options.experimentId}`;
  const headers = { authorization: `Bearer ${options.editorKey}` };
  const before = (await json<ExperimentState>(await send(f, base, { headers }), "experiment")).analyses
    .length;
  await json(await send(f, `${base}/analyze`, { method: "POST", headers }), "analyze");
  for (let i = 0; i < 120; i++) {
    const state = await json<ExperimentState>(await send(f, base, { headers }), "experiment");
    const promoting = state.promotionStatus === "queued" || state.promotionStatus === "running";
    if (state.analyses.length > before && !promoting) return state;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the analysis did not finish within 60 s");
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const required = (name: string) => {
    const value = flag(name);
    if (!value) throw new Error(`--${name} is required`);
    return value;
  };
  const options: TrafficOptions = {
    url: required("url"),
    project: required("project"),
    prompt: required("prompt"),
    experimentId: required("experiment"),
    viewerKey: required("viewer-key"),
    editorKey: required("editor-key"),
    subjects: Number(flag("subjects") ?? 200),
    rates: (flag("rates") ?? "0.2,0.8").split(",").map(Number),
  };
  const sent = await sendExperimentTraffic(options);
  console.log(
    `exposures per variant: ${sent.exposures.join(", ")}; feedback ${sent.feedbackSent} (+${sent.replays} replays)`,
  );
  const state = await analyzeNow(options);
  console.log(
    `${state.status}: ${state.decisionReason ?? "no decision yet"}${state.promotion ? `; ${state.promotion}` : ""}`,
  );
}

if (process.argv[1]?.endsWith("traffic.ts")) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
