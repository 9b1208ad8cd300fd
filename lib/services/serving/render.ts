// Rendering a served prompt for an application: the caller's variables are checked against the
// version's schema (lib/core/variables.ts: every missing, mistyped or unknown variable named, 400), then
// turned into provider-ready chat messages — the system prompt, each demo as a user/assistant pair, and
// the rendered template.

import type { ProjectAccess } from "@/lib/auth/principal";
import { InputError } from "@/lib/core/errors";
import { buildMessages } from "@/lib/core/prompt";
import type { ChatMessage, ModelParams, PromptState } from "@/lib/core/types";
import {
  type VariableSchema,
  type VariableValue,
  validateVariables,
  variableText,
} from "@/lib/core/variables";
import type { Db } from "@/lib/db";
import { exposureFeedbackToken } from "../feedback/token";
import { routeServedPrompt, type ServedExperiment } from "./experiment-routing";
import type { ServedPrompt } from "./resolve";

export interface ServingRequest {
  variables: Record<string, unknown>;
  label?: string;
  version?: number;
  /** Who the request is for: an experiment running on the label picks the subject's variant. */
  subject?: string;
}

export interface RenderedPrompt {
  served: ServedPrompt;
  /** The experiment that chose the version, with a feedback token for the exposure (null: none). */
  experiment: (ServedExperiment & { feedbackToken: string }) | null;
  /** The variables as validated: coerced, defaults applied. */
  values: Record<string, VariableValue>;
  messages: ChatMessage[];
}

/** A 400 naming every variable at fault, as `body.variables.<name>`. */
function variablesError(issues: { variable: string; message: string }[]): InputError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new InputError(`Invalid body.variables.${first.variable}: ${first.message}${more}`, {
    issues: issues.map((issue) => ({
      in: "body",
      path: `variables.${issue.variable}`,
      message: issue.message,
    })),
  });
}

/**
 * Demos are rendered with their own inputs; a variable a demo does not give takes its default, else ""
 * (as an absent optional variable does), so a version stays servable.
 */
function withDemoGaps(prompt: PromptState, schema: VariableSchema): PromptState {
  const fallback = Object.fromEntries(
    Object.entries(schema.properties).map(([name, p]) => [
      name,
      p.default === undefined ? "" : variableText(p.default),
    ]),
  );
  return {
    ...prompt,
    demos: prompt.demos.map((demo) => ({ ...demo, input: { ...fallback, ...demo.input } })),
  };
}

/** The served version's messages for `request.variables` (400 naming a missing or mistyped variable). */
export async function renderServedPrompt(
  db: Db,
  access: ProjectAccess,
  name: string,
  request: ServingRequest,
): Promise<RenderedPrompt> {
  const projectId = access.project.id;
  // The variables are checked before a first exposure is recorded: a refused render exposes nobody.
  const checkVariables = (served: ServedPrompt) => {
    const checked = validateVariables(served.variables, request.variables);
    if (!checked.ok) throw variablesError(checked.issues);
    return checked;
  };
  const routed = await routeServedPrompt(db, projectId, name, request, checkVariables);
  const { served } = routed;
  const checked = checkVariables(served);
  const messages = buildMessages(withDemoGaps(served.prompt, served.variables), checked.text);
  const experiment = routed.experiment && {
    ...routed.experiment,
    feedbackToken: await exposureFeedbackToken(db, { projectId, exposureId: routed.experiment.exposureId }),
  };
  return { served, values: checked.values, messages, experiment };
}

/** The render as the API answers it. */
export function renderedView(rendered: RenderedPrompt): {
  id: string;
  name: string;
  version: number;
  label: string | null;
  model: string | null;
  params: ModelParams;
  messages: ChatMessage[];
  experiment?: ServedExperiment;
  feedbackToken?: string;
} {
  const { body } = rendered.served;
  const experiment = rendered.experiment;
  return {
    ...(experiment
      ? {
          experiment: { id: experiment.id, variant: experiment.variant, exposureId: experiment.exposureId },
          feedbackToken: experiment.feedbackToken,
        }
      : {}),
    id: body.id,
    name: body.name,
    version: body.version,
    label: body.label,
    model: body.model,
    params: body.params,
    messages: rendered.messages,
  };
}
