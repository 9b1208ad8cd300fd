// Serving under a running experiment: a request that names a label AND carries a subject (the `subject`
// query or body field, or the `X-Strop-Subject` header) gets its subject's variant of the experiment
// running on that label — sticky, exposure recorded once — and an answer that says so, with a feedback
// token for the exposure. Requests without a subject, by version, or on a label without a running
// experiment take the plain path, untouched: one Map lookup more only when a subject is given.
import type { Db } from "@/lib/db";
import { runningExperimentOn } from "../experiments/active-cache";
import { exposeSubject } from "../experiments/assign";
import { signFeedbackToken } from "../feedback/token";
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

/** The served prompt for the request: the subject's variant while an experiment runs on the label. */
export async function routeServedPrompt(
  db: Db,
  projectId: string,
  name: string,
  request: { label?: string; version?: number; subject?: string },
): Promise<RoutedPrompt> {
  const selector: VersionSelector = selectorOf(request);
  if (request.subject === undefined || !("label" in selector))
    return { served: await resolveServedPrompt(db, projectId, name, selector), experiment: null };
  const experiment = await runningExperimentOn(db, projectId, name, selector.label);
  if (!experiment)
    return { served: await resolveServedPrompt(db, projectId, name, selector), experiment: null };
  const exposed = await exposeSubject(db, experiment, request.subject);
  const variantVersion = await resolveServedPrompt(db, projectId, name, { version: exposed.variant.version });
  // The variant's version, answered as the label the caller asked for.
  const served: ServedPrompt = {
    ...variantVersion,
    body: { ...variantVersion.body, label: selector.label },
    etag: servedEtag(variantVersion.body.id, `${variantVersion.etag}\n${experiment.id}`, selector.label),
  };
  return {
    served,
    experiment: { id: experiment.id, variant: exposed.variant.index, exposureId: exposed.exposureId },
  };
}

/** The GET answer under an experiment: the version plus which experiment and variant, and a token. */
export async function experimentAnswer(
  db: Db,
  projectId: string,
  routed: RoutedPrompt,
): Promise<ServedPrompt> {
  if (!routed.experiment) return routed.served;
  const feedbackToken = await signFeedbackToken(db, { projectId, exposureId: routed.experiment.exposureId });
  const body = { ...routed.served.body, experiment: routed.experiment, feedbackToken };
  return { ...routed.served, body, bytes: new TextEncoder().encode(JSON.stringify(body)) };
}
