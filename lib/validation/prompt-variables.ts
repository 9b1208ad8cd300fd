// The JSON Schema of a prompt version's variables, as the API takes and returns it and as it is stored
// (PromptVersion.variableSchema). The rules live in lib/core/variables.ts; this is their contract.
import * as z from "zod";
import {
  checkVariableSchema,
  VARIABLE_TYPES,
  type VariableProperty,
  type VariableSchema,
} from "@/lib/core/variables";

const variableValueSchema = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const variablePropertySchema = z
  .object({
    type: z.enum(VARIABLE_TYPES),
    description: z.string().max(2000).optional(),
    default: variableValueSchema.optional(),
    enum: z.array(variableValueSchema).max(200).optional(),
  })
  .strict()
  .meta({ id: "PromptVariable" });

/** At most this many variables per version. */
export const MAX_VARIABLES = 100;

export const variableSchemaSchema = z
  .object({
    type: z.literal("object"),
    properties: z
      .record(z.string().max(100), variablePropertySchema)
      .refine((p) => Object.keys(p).length <= MAX_VARIABLES, `declare at most ${MAX_VARIABLES} variables`),
    required: z.array(z.string().max(100)).max(MAX_VARIABLES).default([]),
  })
  .strict()
  .superRefine((schema, ctx) => {
    for (const problem of checkVariableSchema(schema)) {
      ctx.addIssue({ code: "custom", path: problem.path.split("."), message: problem.message });
    }
  })
  .meta({
    id: "PromptVariables",
    description:
      'JSON Schema of the version\'s variables: `{ type: "object", properties: { name: { type: string | ' +
      "number | integer | boolean, description?, default?, enum? } }, required: [names] }`.",
  });

// The contract and the core's types are one shape: this fails to compile when they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const propertyTypesAgree: Same<z.output<typeof variablePropertySchema>, VariableProperty> = true;
const schemaTypesAgree: Same<z.output<typeof variableSchemaSchema>, VariableSchema> = true;
void propertyTypesAgree;
void schemaTypesAgree;

export type { VariableSchema };
