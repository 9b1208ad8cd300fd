// The OpenAPI 3.1 document, built from the registered operations and their zod schemas (z.toJSONSchema).
// Schemas with a `.meta({ id })` become components; Dates are `string` / `date-time`.
import * as z from "zod";
import { errorEnvelopeSchema } from "@/lib/validation/common";
import { declaredTags, type OpenApiTag } from "./openapi-tags";
import type { Operation } from "./registry";

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string; contact: { name: string } };
  servers: { url: string }[];
  tags: OpenApiTag[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters: {
    name: string;
    in: "path" | "query";
    required: boolean;
    description?: string;
    schema: JsonSchema;
  }[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  security: Record<string, string[]>[];
  /** "public" | "optional" | "user" | "any" | "project" */
  "x-strop-auth": string;
  /** The least project role, for project operations. */
  "x-strop-role"?: string;
}

/**
 * A fixed-length tuple comes out of zod as `prefixItems` plus `items: false`; `maxItems` already closes
 * it. OpenAPI tools want an item schema there (Spectral's array-items; tools that predate `prefixItems`
 * read only `items`), so `items` becomes what any element may be: inert past `maxItems`, informative to them.
 */
function withTupleItemSchema(_key: string, value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const schema = value as JsonSchema;
  const { prefixItems } = schema;
  if (schema.items !== false || !Array.isArray(prefixItems) || schema.maxItems !== prefixItems.length)
    return value;
  const distinct = [...new Set(prefixItems.map((item) => JSON.stringify(item)))].map((text) =>
    JSON.parse(text),
  );
  return { ...schema, items: distinct.length === 1 ? distinct[0] : { anyOf: distinct } };
}

class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  /** The JSON Schema of `schema` with named sub-schemas hoisted into components. */
  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const json = z.toJSONSchema(schema, {
      io,
      target: "draft-2020-12",
      unrepresentable: "any",
      override: (ctx) => {
        const def = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def;
        if (def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
      },
    }) as JsonSchema;
    const { $schema: _, $defs = {}, ...rest } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    // Named sub-schemas go to components under their id; one that differs from a component of the same
    // name (e.g. the input side of a schema with defaults) gets another name. A renamed schema changes
    // the references inside the others, which can change their names in turn: settle every name before
    // storing anything, so no reference points at a name that was given up.
    const ids = Object.keys($defs);
    const renames: Record<string, string> = Object.fromEntries(ids.map((id) => [id, id]));
    const rewrite = (value: unknown): JsonSchema =>
      JSON.parse(
        JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) =>
          JSON.stringify(`#/components/schemas/${renames[id] ?? id}`),
        ),
        withTupleItemSchema,
      );
    for (let round = 0, settled = false; !settled; round++) {
      if (round > ids.length + 1) throw new Error(`openapi: the names of ${ids.join(", ")} do not settle`);
      settled = true;
      for (const id of ids) {
        const name = this.freeName(id, rewrite($defs[id]));
        if (name !== renames[id]) [renames[id], settled] = [name, false];
      }
    }
    for (const id of ids) this.components[renames[id]!] = rewrite($defs[id]);
    return rewrite(rest);
  }

  /** `id` if free or holding the same schema, else `idInput`, `id2`, … */
  private freeName(id: string, def: JsonSchema): string {
    const text = JSON.stringify(def);
    for (const name of [id, `${id}Input`, ...Array.from({ length: 8 }, (_, i) => `${id}${i + 2}`)]) {
      const existing = this.components[name];
      if (!existing || JSON.stringify(existing) === text) return name;
    }
    throw new Error(`openapi: too many different schemas named ${id}`);
  }
}

function parameters(collector: SchemaCollector, op: Operation): OpenApiOperation["parameters"] {
  const out: OpenApiOperation["parameters"] = [];
  for (const [where, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const json = collector.convert(schema, "input") as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property as JsonSchema & { description?: string };
      out.push({
        name,
        in: where,
        required: where === "path" || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

const ERROR_RESPONSES: Record<string, string> = {
  "400": "Invalid input: `details.issues` names each field.",
  "401": "No valid session or API key.",
  "403": "The role (or kind of credential) does not allow this.",
  "404": "Not found, or no access to the project.",
  "413": "Request body too large.",
  "415": "The body is not JSON.",
  "429": "Too many requests: see Retry-After.",
};

function errorStatuses(op: Operation): string[] {
  const codes: string[] = [];
  if (op.params || op.query || op.body || op.rawBody) codes.push("400");
  if (op.auth !== "public") codes.push("401");
  if (op.auth === "user" || typeof op.auth === "object") codes.push("403");
  if (typeof op.auth === "object") codes.push("404");
  if (op.body) codes.push("413", "415");
  if (op.rawBody) codes.push("413");
  if (op.rateLimit) codes.push("429");
  return codes;
}

/** Raw (non-JSON) content: bytes of each media type. */
function rawContent(types: string[], json?: JsonSchema): Record<string, { schema: JsonSchema }> {
  return Object.fromEntries(
    types.map((t) => [
      t,
      { schema: t === "application/json" && json ? json : { type: "string", format: "binary" } },
    ]),
  );
}

function security(op: Operation): Record<string, string[]>[] {
  if (op.auth === "public") return [];
  // `{}`: no credentials at all is also accepted.
  if (op.auth === "optional") return [{}, { session: [] }, { apiKey: [] }];
  if (op.auth === "user") return [{ session: [] }];
  return [{ session: [] }, { apiKey: [] }];
}

export function buildOpenApiDocument(
  operations: Operation[],
  info: { version?: string; serverUrl?: string } = {},
): OpenApiDocument {
  const collector = new SchemaCollector();
  const errorRef = { $ref: "#/components/schemas/Error" };
  collector.convert(errorEnvelopeSchema, "output");
  const paths: OpenApiDocument["paths"] = {};
  for (const op of operations) {
    const responses: OpenApiOperation["responses"] = {};
    responses[String(op.status)] = op.rawResponse
      ? {
          description: op.rawResponse.description,
          content: op.rawResponse.schema
            ? { "application/json": { schema: collector.convert(op.rawResponse.schema, "output") } }
            : rawContent(op.rawResponse.contentTypes),
        }
      : op.response
        ? {
            description: "Success.",
            content: { "application/json": { schema: collector.convert(op.response, "output") } },
          }
        : { description: "Success, no content." };
    for (const code of errorStatuses(op)) {
      responses[code] = {
        description: ERROR_RESPONSES[code]!,
        content: { "application/json": { schema: errorRef } },
      };
    }
    responses.default = {
      description: "Unexpected error.",
      content: { "application/json": { schema: errorRef } },
    };
    const entry: OpenApiOperation = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: op.tags,
      parameters: parameters(collector, op),
      ...(op.body
        ? {
            requestBody: {
              required: !op.body.safeParse(undefined).success,
              content: { "application/json": { schema: collector.convert(op.body, "input") } },
            },
          }
        : {}),
      ...(op.rawBody
        ? {
            requestBody: {
              required: true,
              description: op.rawBody.description,
              // A raw body that may also be JSON (e.g. a batch spec or its file) documents the JSON's schema.
              content: rawContent(
                op.rawBody.contentTypes,
                op.rawBody.schema ? collector.convert(op.rawBody.schema, "input") : undefined,
              ),
            },
          }
        : {}),
      responses,
      security: security(op),
      "x-strop-auth": typeof op.auth === "object" ? "project" : op.auth,
      ...(typeof op.auth === "object" ? { "x-strop-role": op.auth.role } : {}),
    };
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = entry;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Strop API",
      version: info.version ?? "1",
      description:
        "Prompt optimization and prompt management. Authenticate with a project API key " +
        "(`Authorization: Bearer strop_…`) or the web session. Errors: `{ error: { code, message, details } }`. " +
        "Each operation's `x-strop-auth` (public, optional, user, any, project) and `x-strop-role` say who may call it; " +
        "a project you cannot access answers 404.",
      // Strop is self-hosted: whoever runs this instance answers for it.
      contact: { name: "The administrators of this Strop instance" },
    },
    servers: [{ url: info.serverUrl ?? "/" }],
    tags: declaredTags(operations),
    paths,
    components: {
      schemas: collector.components,
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "A project API key: `strop_…`." },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "Web session.",
        },
      },
    },
  };
}
