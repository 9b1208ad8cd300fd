// A small client of Strop's serving API for applications (docs/api-serving.md). No dependencies and no
// server-only imports: it needs `fetch` (Node 18+, browsers, edge runtimes) and nothing else.
//
//   const strop = new StropClient({ baseUrl: "https://strop.example.com", project: "support", apiKey });
//   const prompt = await strop.getPrompt("triage");                      // label production
//   const { messages } = await strop.render("triage", { ticket: text }, { label: "staging" });
//   const { output, generationId } = await strop.generate("triage", { ticket: text });
//
// Prompts are cached in memory per name and label/version:
// - fresh for `ttlMs` (default 60 s): answered from memory, no request;
// - then, for `staleWhileRevalidateMs` more (default 5 min), answered from memory at once while one
//   background request revalidates the copy with its ETag (304: the copy is fresh again);
// - older than that: the lookup waits for the revalidation;
// - when Strop cannot be reached (network error, timeout, 429, 5xx), the last good copy is answered,
//   however old, and `onError` is told; without a copy the lookup fails. Answers of Strop itself (404 an
//   unknown label, 401 a revoked key) are never papered over: they fail the lookup.

export type VariableValue = string | number | boolean;

export interface PromptVariables {
  type: "object";
  properties: Record<
    string,
    {
      type: "string" | "number" | "integer" | "boolean";
      description?: string;
      default?: VariableValue;
      enum?: VariableValue[];
    }
  >;
  required: string[];
}

export interface ModelParams {
  temperature?: number;
  maxOutputTokens?: number;
  topP?: number;
  seed?: number;
}

/** A resolved prompt version, as `GET /api/v1/projects/{project}/prompts/{name}` answers it. */
export interface Prompt {
  id: string;
  name: string;
  version: number;
  label: string | null;
  system: string;
  output: string;
  demos: { input: Record<string, string>; output: string }[];
  params: ModelParams;
  variables: PromptVariables;
  model: string | null;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface RenderedPrompt {
  id: string;
  name: string;
  version: number;
  label: string | null;
  model: string | null;
  params: ModelParams;
  messages: ChatMessage[];
}

export interface Generation {
  generationId: string;
  output: string;
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
  costUsd: number;
  cached: boolean;
  model: string;
  id: string;
  version: number;
  label: string | null;
}

/** Which version: a label (default `production`; `latest` is the newest) or a version number. */
export type PromptSelector = { label?: string; version?: undefined } | { version: number; label?: undefined };

export interface StropClientOptions {
  /** Where Strop runs, e.g. "https://strop.example.com". */
  baseUrl: string;
  /** The project's slug. */
  project: string;
  /** A project API key (`strop_…`): viewer for prompts and render, editor for generate. */
  apiKey: string;
  /** How long a fetched prompt is used without asking Strop (default 60 000 ms). */
  ttlMs?: number;
  /** How long after that a copy is still answered at once while it is revalidated (default 300 000 ms). */
  staleWhileRevalidateMs?: number;
  /** Time limit of one request (default 5 000 ms; generate: 120 000 ms). */
  timeoutMs?: number;
  /** Background refresh failures and fallbacks to a last good copy (default: ignored). */
  onError?: (error: StropError, context: { name: string; fallback: boolean }) => void;
  /** Test seams. */
  fetch?: typeof fetch;
  now?: () => number;
}

/** A failed call: `status` 0 when Strop could not be reached at all. */
export class StropError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "StropError";
  }

  /** True when Strop could not answer (unreachable, timed out, overloaded): a cached copy may stand in. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

interface CacheEntry {
  prompt: Prompt;
  etag: string | null;
  fetchedAt: number;
  refreshing?: Promise<Prompt>;
}

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_SWR_MS = 300_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const GENERATE_TIMEOUT_MS = 120_000;

export class StropClient {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<Prompt>>();
  private readonly base: string;
  private readonly ttlMs: number;
  private readonly swrMs: number;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: StropClientOptions) {
    const root = options.baseUrl.replace(/\/+$/, "");
    this.base = `${root}/api/v1/projects/${encodeURIComponent(options.project)}/prompts/`;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.swrMs = options.staleWhileRevalidateMs ?? DEFAULT_SWR_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.now = options.now ?? Date.now;
  }

  /** The version `selector` names (default label `production`), from the cache when it can. */
  getPrompt(name: string, selector: PromptSelector = {}): Promise<Prompt> {
    const key = cacheKey(name, selector);
    const entry = this.cache.get(key);
    if (entry) {
      const age = this.now() - entry.fetchedAt;
      if (age < this.ttlMs) return Promise.resolve(entry.prompt);
      if (age < this.ttlMs + this.swrMs) {
        this.refreshInBackground(key, name, selector, entry);
        return Promise.resolve(entry.prompt);
      }
    }
    return this.load(key, name, selector);
  }

  /** Provider-ready messages for `variables` (400 StropError naming a missing or mistyped variable). */
  render(
    name: string,
    variables: Record<string, VariableValue>,
    selector: PromptSelector = {},
  ): Promise<RenderedPrompt> {
    return this.post<RenderedPrompt>(name, "render", { variables, ...selector }, this.timeoutMs);
  }

  /** Generates with the version's model through Strop's gateway; the generation is stored there. */
  generate(
    name: string,
    variables: Record<string, VariableValue>,
    options: PromptSelector & { cache?: "use" | "bypass" | "refresh" } = {},
  ): Promise<Generation> {
    return this.post<Generation>(
      name,
      "generate",
      { variables, ...options },
      Math.max(this.timeoutMs, GENERATE_TIMEOUT_MS),
    );
  }

  /** Forgets cached prompts: one name's, or all. */
  invalidate(name?: string): void {
    if (name === undefined) this.cache.clear();
    else for (const key of this.cache.keys()) if (key.startsWith(`${name}\n`)) this.cache.delete(key);
  }

  /** Fetches (or revalidates) now; on an unreachable Strop, the last good copy if there is one. */
  private load(key: string, name: string, selector: PromptSelector): Promise<Prompt> {
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const entry = this.cache.get(key);
    const loading = this.fetchPrompt(key, name, selector, entry)
      .catch((error: unknown) => {
        const failure = asStropError(error);
        if (entry && failure.unreachable) {
          this.options.onError?.(failure, { name, fallback: true });
          // Back in the stale-while-revalidate window: the next lookups answer at once and retry in the
          // background, instead of each waiting for an unreachable server.
          entry.fetchedAt = this.now() - this.ttlMs;
          return entry.prompt;
        }
        throw failure;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, loading);
    return loading;
  }

  private refreshInBackground(key: string, name: string, selector: PromptSelector, entry: CacheEntry): void {
    if (entry.refreshing) return;
    entry.refreshing = this.fetchPrompt(key, name, selector, entry);
    entry.refreshing
      .catch((error: unknown) => this.options.onError?.(asStropError(error), { name, fallback: true }))
      .finally(() => {
        entry.refreshing = undefined;
      });
  }

  private async fetchPrompt(
    key: string,
    name: string,
    selector: PromptSelector,
    entry: CacheEntry | undefined,
  ): Promise<Prompt> {
    const query =
      selector.version !== undefined
        ? `?version=${selector.version}`
        : selector.label !== undefined
          ? `?label=${encodeURIComponent(selector.label)}`
          : "";
    const headers: Record<string, string> = this.headers();
    if (entry?.etag) headers["If-None-Match"] = entry.etag;
    const response = await this.request(
      `${this.base}${encodeURIComponent(name)}${query}`,
      { headers },
      this.timeoutMs,
    );
    if (response.status === 304 && entry) {
      entry.fetchedAt = this.now();
      return entry.prompt;
    }
    if (!response.ok) throw await errorOf(response);
    const prompt = (await response.json()) as Prompt;
    this.cache.set(key, { prompt, etag: response.headers.get("etag"), fetchedAt: this.now() });
    return prompt;
  }

  private async post<T>(name: string, action: string, body: unknown, timeoutMs: number): Promise<T> {
    const response = await this.request(
      `${this.base}${encodeURIComponent(name)}/${action}`,
      {
        method: "POST",
        headers: { ...this.headers(), "Content-Type": "application/json" },
        body: JSON.stringify(body),
      },
      timeoutMs,
    );
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as T;
  }

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.options.apiKey}`, Accept: "application/json" };
  }

  private async request(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await this.fetch(url, { ...init, signal: controller.signal });
    } catch (error) {
      const reason = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : (error as Error).message;
      throw new StropError(`Strop is unreachable: ${reason}`, 0, "unreachable");
    } finally {
      clearTimeout(timer);
    }
  }
}

function cacheKey(name: string, selector: PromptSelector): string {
  return `${name}\n${selector.version !== undefined ? `version:${selector.version}` : `label:${selector.label ?? "production"}`}`;
}

function asStropError(error: unknown): StropError {
  return error instanceof StropError ? error : new StropError((error as Error).message, 0, "unreachable");
}

/** Strop's error envelope `{ error: { code, message, details } }` as a StropError. */
async function errorOf(response: Response): Promise<StropError> {
  const text = await response.text().catch(() => "");
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string; details?: unknown } };
    return new StropError(error.message, response.status, error.code, error.details);
  } catch {
    return new StropError(`Strop answered ${response.status}`, response.status, "http_error");
  }
}
