// Who may decide where a key goes: the rules of resolveProviderCredentials on a real SQLite database.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, ensureProject, openDb } from "@/lib/db";
import { storeTestCredential } from "../testing/credentials";
import { CredentialProblem, resolveProviderCredentials } from "./for-models";
import { allowedProviderVariables, STANDARD_PROVIDER_VARIABLES, serverProviderEnv } from "./provider-env";

let db: Db;
let projectId: string;
const SERVER_ENV = {
  NEXTAUTH_SECRET: "session-secret-0123456789",
  DATABASE_URL: "postgresql://u:p@db/strop",
  OPENAI_API_KEY: "sk-operator-0123456789",
};

beforeAll(async () => {
  db = await openDb(`file:${path.join(mkdtempSync(path.join(tmpdir(), "strop-creds-")), "strop.db")}`);
  projectId = (await ensureProject(db, "creds")).id;
  await storeTestCredential(db, projectId, "openai-compatible", {
    baseURL: "https://llm.internal.example/v1",
  });
  await storeTestCredential(
    db,
    projectId,
    "openai-compatible",
    { baseURL: "https://second.example/v1", apiKey: "second-key-0123456789" },
    "second",
  );
});

afterAll(() => db.$disconnect());

const resolve = (
  models: Parameters<typeof resolveProviderCredentials>[2],
  author: "operator" | "project",
  env = SERVER_ENV,
) => resolveProviderCredentials(db, projectId, models, { author, env, onWarning: () => {} });

describe("the server environment the app hands to providers", () => {
  it("holds the providers' standard variables only", () => {
    expect(serverProviderEnv(SERVER_ENV)).toEqual({ OPENAI_API_KEY: "sk-operator-0123456789" });
    expect(allowedProviderVariables({})).toEqual(STANDARD_PROVIDER_VARIABLES);
  });

  it("can be narrowed or emptied by the operator; a name no provider reads is an error", () => {
    expect(serverProviderEnv({ ...SERVER_ENV, STROP_PROVIDER_ENV: "none" })).toEqual({});
    expect(serverProviderEnv({ ...SERVER_ENV, STROP_PROVIDER_ENV: "ANTHROPIC_API_KEY" })).toEqual({});
    expect(() => serverProviderEnv({ ...SERVER_ENV, STROP_PROVIDER_ENV: "NEXTAUTH_SECRET" })).toThrow(
      /NEXTAUTH_SECRET, which no provider reads/,
    );
  });
});

describe("resolveProviderCredentials", () => {
  it("app configurations: no server secret, stored defaults fill in, named credentials bring their endpoint", async () => {
    const resolved = await resolve(
      [
        {
          path: "models.task",
          model: { id: "openai-compatible:a", concurrency: 1, params: {}, credential: "second" },
        },
        { path: "models.optimizer", model: { id: "openai:gpt-4o", concurrency: 1, params: {} } },
      ],
      "project",
    );
    expect(resolved.env).toEqual({
      OPENAI_API_KEY: "sk-operator-0123456789",
      OPENAI_COMPATIBLE_BASE_URL: "https://llm.internal.example/v1",
    });
    expect(resolved.models["openai-compatible:a"]).toEqual({
      OPENAI_COMPATIBLE_BASE_URL: "https://second.example/v1",
      OPENAI_COMPATIBLE_API_KEY: "second-key-0123456789",
    });
    expect(JSON.stringify(resolved)).not.toContain("session-secret");
  });

  it.each([
    ["baseURL", { baseURL: "http://127.0.0.1:9/v1" }],
    ["apiKeyEnv", { apiKeyEnv: "NEXTAUTH_SECRET" }],
  ])("refuses an app configuration's %s, naming it", async (field, extra) => {
    const error = await resolve(
      [{ path: "models.task", model: { id: "openai-compatible:a", concurrency: 1, params: {}, ...extra } }],
      "project",
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialProblem);
    expect((error as CredentialProblem).path).toBe(`models.task.${field}`);
  });

  it("task files of the operator keep their endpoint, with the environment and never a stored key", async () => {
    const resolved = await resolve(
      [
        {
          path: "models.task",
          model: { id: "openai-compatible:a", concurrency: 1, params: {}, baseURL: "http://10.0.0.5/v1" },
        },
      ],
      "operator",
    );
    expect(resolved.models["openai-compatible:a"]).toBe(SERVER_ENV);
    expect(resolved.env.NEXTAUTH_SECRET).toBe(SERVER_ENV.NEXTAUTH_SECRET);
  });

  it("a named credential is bound: its model can set neither baseURL nor apiKeyEnv, and must match its provider", async () => {
    const bound = await resolve(
      [
        {
          path: "model",
          model: {
            id: "openai-compatible:a",
            concurrency: 1,
            params: {},
            credential: "second",
            baseURL: "http://x/v1",
          },
        },
      ],
      "operator",
    ).catch((e: unknown) => e as CredentialProblem);
    expect(bound).toMatchObject({ path: "model.baseURL" });
    const mismatch = await resolve(
      [{ path: "model", model: { id: "openai:gpt-4o", concurrency: 1, params: {}, credential: "second" } }],
      "project",
    ).catch((e: unknown) => e as CredentialProblem);
    expect(mismatch).toMatchObject({ path: "model.credential" });
    expect((mismatch as CredentialProblem).reason).toContain("openai-compatible credential");
  });
});
