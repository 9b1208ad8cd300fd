// Serving under a running experiment: a request that names a label AND carries a subject (the `subject`
// query or body field, or the `X-Strop-Subject` header) gets its subject's variant of the experiment
// running on that label — sticky, exposure recorded once — and an answer that says so, with a feedback
// token for the exposure. Requests without a subject, by version, or on a label without a running
// experiment take the plain path, untouched: one Map lookup more only when a subject is given.
import type { Db } from "@/lib/db";
import { runningExperimentOn } from "../experiments/active-cache";
import { chooseVariant, exposeSubject } from "../experiments/assign";
import { exposureFeedbackToken } from "../feedback/token";
import {
  resolveServedPrompt,
  type ServedPrompt,
  selectorOf,
  servedEtag,
  type VersionSelector,
} from "./resolve";

/** The header an application may send instead of the `subject` field. */
export const SUBJECT_HEADER = "x-strop-subject";

export interface ServedExperiment {
  id: string;
  variant: number;
  exposureId: string;
}

export interface RoutedPrompt {
  served: ServedPrompt;
  experiment: ServedExperiment | null;
}

/** The subject a request names: the field wins over the header; blank is none. */
export function subjectOf(field: string | undefined, headers: Headers | null): string | undefined {
  const value = field ?? headers?.get(SUBJECT_HEADER) ?? undefined;
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, 200) : undefined;
}

/**
 * The served prompt for the request: the subject's variant while an experiment runs on the label.
 * `check` sees the version before a first exposure is recorded: a request it refuses (e.g. a render
 * with bad variables) exposes nobody.
 */
export async function routeServedPrompt(
  db: Db,
  projectId: string,
  name: string,
  request: { label?: string; version?: number; subject?: string },
  check: (served: ServedPrompt) => void = () => {},
): Promise<RoutedPrompt> {
  const selector: VersionSelector = selectorOf(request);
  const plain = async () => {
    const served = await resolveServedPrompt(db, projectId, name, selector);
    check(served);
    return { served, experiment: null };
  };
  if (request.subject === undefined || !("label" in selector)) return plain();
  const experiment = await runningExperimentOn(db, projectId, name, selector.label);
  if (!experiment) return plain();
  const chosen = chooseVariant(experiment, request.subject);
  let variantVersion = await resolveServedPrompt(db, projectId, name, { version: chosen.variant.version });
  check(variantVersion);
  const exposed = await exposeSubject(db, experiment, request.subject, chosen);
  // Another instance exposed the subject first, to another variant (bandit weights moved): serve that.
  if (exposed.variant.id !== chosen.variant.id) {
    variantVersion = await resolveServedPrompt(db, projectId, name, { version: exposed.variant.version });
    check(variantVersion);
  }
  return {
    served: asLabel(variantVersion, experiment.id, selector.label),
    experiment: { id: experiment.id, variant: exposed.variant.index, exposureId: exposed.exposureId },
  };
}

// The variant's version answered as the label the caller asked for, derived once per cached version
// (the resolved-prompt cache's entry is the key: a refill derives it anew) rather than per request.
const asLabelCache = new WeakMap<ServedPrompt, Map<string, ServedPrompt>>();

function asLabel(variant: ServedPrompt, experimentId: string, label: string): ServedPrompt {
  let derived = asLabelCache.get(variant);
  if (!derived) {
    derived = new Map();
    asLabelCache.set(variant, derived);
  }
  const key = `${experimentId}\n${label}`;
  let served = derived.get(key);
  if (!served) {
    served = {
      ...variant,
      body: { ...variant.body, label },
      etag: servedEtag(variant.body.id, `${variant.etag}\n${experimentId}`, label),
    };
    derived.set(key, served);
  }
  return served;
}

// `JSON.stringify(body)` without its closing brace, per served body: an answer under an experiment is
// that text plus the experiment and the token, so the version's text is serialized once, not per request.
const jsonPrefixes = new WeakMap<object, string>();

function jsonPrefix(body: ServedPrompt["body"]): string {
  let prefix = jsonPrefixes.get(body);
  if (prefix === undefined) {
    prefix = JSON.stringify(body).slice(0, -1);
    jsonPrefixes.set(body, prefix);
  }
  return prefix;
}

/** The GET answer under an experiment: the version plus which experiment and variant, and a token. */
export async function experimentAnswer(
  db: Db,
  projectId: string,
  routed: RoutedPrompt,
): Promise<ServedPrompt> {
  const { experiment, served } = routed;
  if (!experiment) return routed.served;
  const feedbackToken = await exposureFeedbackToken(db, { projectId, exposureId: experiment.exposureId });
  const body = { ...served.body, experiment, feedbackToken };
  // Byte for byte what JSON.stringify(body) gives (the new keys come last, in this order).
  const json = `${jsonPrefix(served.body)},"experiment":${JSON.stringify(experiment)},"feedbackToken":${JSON.stringify(feedbackToken)}}`;
  // The answer is the subject's own (its exposure, its token): so is its entity tag, or a cache holding
  // another subject's answer for the same URL would revalidate it with a 304.
  const etag = servedEtag(served.body.id, `${served.etag}\n${feedbackToken}`, served.body.label);
  return { ...served, body, etag, bytes: Buffer.from(json, "utf8") };
}
