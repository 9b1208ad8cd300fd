// The playground route on both databases, over real HTTP to the loopback fake OpenAI server: columns of
// saved versions and drafts, each on a model (a stored configuration with the project's credential, or
// sim:default), streamed back as NDJSON records; a failing column is a record; every bad request is a 4xx
// naming the field before any provider call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, type Credential, createApiWorld } from "@/lib/http/testing";
import { type FakeServer, startFakeOpenAIServer } from "@/lib/llm/testing/fake-openai-server";
import { servingGateways } from "@/lib/services/serving/gateways";
import { type PlaygroundRecord, playgroundRecordSchema } from "@/lib/validation/playground";
import * as credential from "./projects/[project]/credentials/[credential]/route";
import * as modelConfigs from "./projects/[project]/model-configs/route";
import * as playground from "./projects/[project]/playground/route";
import { seedTask, seedVersion } from "./testing/serving-fixtures";

const KEY = "fake-SECRET-key-0123456789";

const recordsOf = (text: string): PlaygroundRecord[] =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => playgroundRecordSchema.parse(JSON.parse(line)));

const ofColumn = (records: PlaygroundRecord[], column: number) => records.filter((r) => r.column === column);

describe.each(TEST_PROVIDERS)("playground API on %s", (provider) => {
  let w: ApiWorld;
  let fake: FakeServer;
  const params = { project: "alpha" };
  const call = (body: unknown, as: Credential = { bearer: w.keys.alphaEditor }) =>
    w.call(playground.POST, { params, as, body });

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({
      respond: (c) => {
        const last = c.messages.at(-1)?.content ?? "";
        if (last.includes("FAIL")) return { status: 400, body: { error: { message: "unsupported input" } } };
        return { content: `echo of ${last}`, usage: { promptTokens: 12, completionTokens: 3 } };
      },
    });
    w = await createApiWorld(provider);
    const stored = await w.call(credential.PUT, {
      as: w.users.admin.credential,
      params: { project: "alpha", credential: "fake" },
      body: { provider: "openai-compatible", baseURL: fake.baseURL, apiKey: KEY },
    });
    expect(stored.status, stored.text).toBe(200);
    const config = await w.call(modelConfigs.POST, {
      as: w.users.editor.credential,
      params: { project: "alpha" },
      body: {
        name: "echo-model",
        model: "openai-compatible:echo",
        credential: "fake",
        price: { input: 1_000_000, output: 2_000_000 },
      },
    });
    expect(config.status, config.text).toBe(201);
    const taskId = await seedTask(w.db, w.projects.alpha.id, "support");
    await seedVersion(w.db, taskId, {
      system: "Be brief.",
      output: "Ticket: {{ticket}}",
      params: { temperature: 0 },
    });
    await seedVersion(w.db, taskId, {
      output: "Reply in {{tone}} words to: {{ticket}}",
      variableSchema: {
        type: "object",
        properties: { ticket: { type: "string" }, tone: { type: "string", default: "kind" } },
        required: ["ticket"],
      },
      model: "echo-model",
    });
  });
  afterAll(async () => {
    // The pooled gateways' pending cache writes land before the database goes away.
    if (w) await servingGateways(w.db).close();
    await w?.close();
    await fake?.close();
  });

  it("streams two versions side by side: start, deltas, then a result with usage, latency and cost", async () => {
    const before = fake.requests.length;
    const res = await call({
      task: "support",
      columns: [{ version: 1 }, { version: 2 }],
      variables: { ticket: "My parcel is late" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const records = recordsOf(res.text);
    const sim = ofColumn(records, 0);
    expect(sim[0]).toEqual({ type: "start", column: 0, model: "sim:default", version: 1 });
    const simResult = sim.at(-1)!;
    expect(simResult.type).toBe("result");
    const simText = sim.flatMap((r) => (r.type === "delta" ? [r.text] : [])).join("");
    expect(simResult).toMatchObject({ text: simText, costUsd: 0, cached: false });
    expect(simText.length).toBeGreaterThan(0);

    const echo = ofColumn(records, 1);
    expect(echo[0]).toEqual({ type: "start", column: 1, model: "openai-compatible:echo", version: 2 });
    // The fake streams word by word; the version's default fills {{tone}}.
    expect(echo.filter((r) => r.type === "delta").length).toBeGreaterThan(3);
    expect(echo.at(-1)).toMatchObject({
      type: "result",
      text: "echo of Reply in kind words to: My parcel is late",
      usage: { inputTokens: 12, outputTokens: 3 },
      costUsd: 18, // the configuration's price: 12 × $1 + 3 × $2
      cached: false,
    });
    expect(fake.requests.length - before).toBe(1);
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe("[redacted]");
    expect(sent.body).toMatchObject({ model: "echo", stream: true });
  });

  it("runs a draft on a chosen model; a repeat comes from the project's cache unless bypassed", async () => {
    const body = {
      columns: [
        {
          draft: { systemPrompt: "Short.", outputPrompt: "Summarize: {{text}}", params: { topP: 0.5 } },
          model: "echo-model",
        },
      ],
      variables: { text: "a long story" },
    };
    const first = recordsOf((await call(body)).text);
    expect(first.at(-1)).toMatchObject({
      type: "result",
      text: "echo of Summarize: a long story",
      cached: false,
    });
    expect(fake.requests.at(-1)!.body).toMatchObject({
      top_p: 0.5,
      messages: [
        { role: "system", content: "Short." },
        { role: "user", content: "Summarize: a long story" },
      ],
    });
    const before = fake.requests.length;
    const again = recordsOf((await call(body)).text);
    expect(again.filter((r) => r.type === "delta")).toEqual([
      { type: "delta", column: 0, text: "echo of Summarize: a long story" },
    ]);
    expect(again.at(-1)).toMatchObject({ type: "result", cached: true, costUsd: 0 });
    expect(fake.requests.length).toBe(before);
    const fresh = recordsOf((await call({ ...body, cache: "bypass" })).text);
    expect(fresh.at(-1)).toMatchObject({ type: "result", cached: false });
    expect(fake.requests.length).toBe(before + 1);
  });

  it("a failing column is an error record; the other column still answers", async () => {
    const res = await call({
      task: "support",
      columns: [{ version: 2 }, { version: 1 }],
      variables: { ticket: "FAIL please" },
    });
    expect(res.status).toBe(200);
    const records = recordsOf(res.text);
    const failed = ofColumn(records, 0).at(-1)!;
    expect(failed).toMatchObject({ type: "error", code: "provider_error" });
    expect(failed.type === "error" && failed.message).toContain("unsupported input");
    expect(ofColumn(records, 1).at(-1)!.type).toBe("result");
    expect(res.text).not.toContain(KEY);
  });

  it("refuses bad requests naming the field, before calling any model", async () => {
    const requests = fake.requests.length;
    const issues = async (body: unknown) => {
      const res = await call(body);
      expect(res.status, res.text).toBe(400);
      return res.json.error.details.issues.map((i: { path: string }) => i.path);
    };
    const draft = { outputPrompt: "Hi {{name}}" };
    expect(await issues({ columns: Array.from({ length: 5 }, () => ({ draft })) })).toEqual(["columns"]);
    expect(await issues({ columns: [] })).toEqual(["columns"]);
    expect(await issues({ task: "support", columns: [{ version: 1, draft }] })).toEqual([
      "columns.0.version",
    ]);
    expect(await issues({ columns: [{ version: 1 }] })).toEqual(["task"]);
    expect(await issues({ columns: [{ draft: { outputPrompt: "" } }] })).toEqual([
      "columns.0.draft.outputPrompt",
    ]);
    expect(await issues({ columns: [{ draft }], variables: { name: "Ann", nmae: "typo" } })).toEqual([
      "variables.nmae",
    ]);
    const missing = await call({
      task: "support",
      columns: [{ draft }, { version: 2 }],
      variables: { name: "A" },
    });
    expect(missing.json.error.details.issues).toEqual([
      { in: "body", path: "variables.ticket", message: "is required (column 2 (version 2))" },
    ]);
    expect(
      await issues({
        columns: [
          {
            draft: {
              outputPrompt: "Hi {{name}}",
              variables: { type: "object", properties: { other: { type: "string" } }, required: [] },
            },
          },
        ],
      }),
    ).toEqual(["columns.0.draft.outputPrompt", "columns.0.draft.variables.properties.other"]);
    expect(await issues({ columns: [{ draft, model: "no-such-model" }], variables: { name: "A" } })).toEqual([
      "columns.0.model",
    ]);
    expect(await issues({ columns: [{ draft, model: "nope:x" }], variables: { name: "A" } })).toEqual([
      "columns.0.model",
    ]);
    const unknownVersion = await call({ task: "support", columns: [{ version: 9 }] });
    expect(unknownVersion.status).toBe(404);
    const unknownTask = await call({ task: "nope", columns: [{ version: 1 }] });
    expect(unknownTask.status).toBe(404);
    const notJson = await w.call(playground.POST, {
      params,
      as: { bearer: w.keys.alphaEditor },
      rawBody: "{",
      contentType: "application/json",
    });
    expect(notJson.status).toBe(400);
    expect(fake.requests.length).toBe(requests);
  });

  it("is for editors: a viewer gets 403, another project's member 404", async () => {
    const body = { columns: [{ draft: { outputPrompt: "Hi" } }] };
    expect((await call(body, { bearer: w.keys.alphaViewer })).status).toBe(403);
    expect((await call(body, w.users.viewer.credential)).status).toBe(403);
    expect((await call(body, w.users.outsider.credential)).status).toBe(404);
    expect((await call(body, w.users.editor.credential)).status).toBe(200);
  });
});
