// The `model` option of the metrics that call a model.
import { z } from "zod";

/** "provider:model", as in the task file; when omitted the metric uses `ctx.defaultModel`. */
export const modelOption = z
  .string()
  .regex(/^[a-z][a-z0-9-]*:.+$/, 'expected "provider:model", e.g. "openai:text-embedding-3-small"')
  .optional();
