// Resolving a prompt name for an application: `?label=` (default `production`; `latest` is the newest
// version) or `?version=N` → the version, in the shape the serving API answers, with its entity tag.
// Answers are cached in memory (prompt-cache.ts; invalidation.ts says when they are forgotten), so a
// repeated read costs a map lookup: the JSON text and the ETag are computed once per cache fill.
import { createHash } from "node:crypto";
import { NotFoundError } from "@/lib/core/errors";
import type { PromptState } from "@/lib/core/types";
import { effectiveVariableSchema, type VariableSchema } from "@/lib/core/variables";
import { type Db, findServingVersion, type ServingVersion, type VersionSelector } from "@/lib/db";
import type { ServedPromptBody } from "@/lib/validation/serving";
import { servedPromptCache } from "./invalidation";
import { ServedPromptCache } from "./prompt-cache";

export type { VersionSelector } from "@/lib/db";

/** The label an application gets when it names neither a label nor a version. */
export const DEFAULT_LABEL = "production";

export interface ServedPrompt {
  body: ServedPromptBody;
  /** `body` as UTF-8 JSON, serialized and encoded once: the GET sends these bytes with their length. */
  bytes: Uint8Array;
  /** Strong entity tag of the answer: the version (id and content hash) and the label asked for. */
  etag: string;
  taskId: string;
  prompt: PromptState;
  /** The declared schema, else the one the template implies. */
  variables: VariableSchema;
}

/** What the caller asked for: a version number wins; otherwise a label, `production` by default. */
export function selectorOf(input: { label?: string; version?: number }): VersionSelector {
  return input.version !== undefined ? { version: input.version } : { label: input.label ?? DEFAULT_LABEL };
}

function selectorKey(selector: VersionSelector): string {
  return "version" in selector ? `version:${selector.version}` : `label:${selector.label}`;
}

/** `"<base64url of sha256(version id, content hash, label)>"`: changes whenever the answer does. */
export function servedEtag(versionId: string, contentHash: string, label: string | null): string {
  const digest = createHash("sha256")
    .update(`${versionId}\n${contentHash}\n${label ?? ""}`)
    .digest("base64url");
  return `"${digest.slice(0, 27)}"`;
}

function notFound(name: string, selector: VersionSelector, missing: string): NotFoundError {
  if (missing === "task") return new NotFoundError(`no prompt named "${name}" in this project`);
  if ("version" in selector) return new NotFoundError(`prompt "${name}" has no version ${selector.version}`);
  if (missing === "versions") return new NotFoundError(`prompt "${name}" has no versions yet`);
  return new NotFoundError(`prompt "${name}" has no label "${selector.label}"`);
}

function servedPrompt(name: string, selector: VersionSelector, found: ServingVersion): ServedPrompt {
  const prompt: PromptState = {
    systemPrompt: found.systemPrompt,
    outputPrompt: found.outputPrompt,
    demos: found.demos,
    params: found.params,
  };
  const variables = effectiveVariableSchema(found.variableSchema, prompt);
  const label = "label" in selector ? selector.label : null;
  const body: ServedPromptBody = {
    id: found.versionId,
    name,
    version: found.version,
    label,
    system: found.systemPrompt,
    output: found.outputPrompt,
    demos: found.demos,
    params: found.params,
    variables,
    model: found.model,
  };
  return {
    body,
    bytes: new TextEncoder().encode(JSON.stringify(body)),
    etag: servedEtag(found.versionId, found.contentHash, label),
    taskId: found.taskId,
    prompt,
    variables,
  };
}

/** The version `selector` names in the project's task `name` (404 naming what is unknown). */
export async function resolveServedPrompt(
  db: Db,
  projectId: string,
  name: string,
  selector: VersionSelector,
): Promise<ServedPrompt> {
  const cache = servedPromptCache();
  const key = ServedPromptCache.key(projectId, name, selectorKey(selector));
  const cached = cache.get(key);
  if (cached) return cached;
  const epoch = cache.epoch();
  const lookup = await findServingVersion(db, projectId, name, selector);
  if ("missing" in lookup) throw notFound(name, selector, lookup.missing);
  const served = servedPrompt(name, selector, lookup.found);
  cache.fill(key, projectId, name, served, epoch);
  return served;
}
