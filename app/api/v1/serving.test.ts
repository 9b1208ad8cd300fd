// The serving API's read side on both databases: a prompt name resolved by label (default production,
// latest), by version, with a strong ETag and 304s; answers cached in memory and forgotten when a label
// moves; 404s naming what is unknown; render with typed variables (400 naming each bad variable).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { servedPromptChanged, setServedPromptCache } from "@/lib/services/serving/invalidation";
import { ServedPromptCache } from "@/lib/services/serving/prompt-cache";
import * as render from "./projects/[project]/prompts/[task]/render/route";
import * as serving from "./projects/[project]/prompts/[task]/route";
import { pointLabel, seedTask, seedVersion } from "./testing/serving-fixtures";

const TYPED = {
  type: "object",
  properties: {
    text: { type: "string", description: "The review" },
    tone: { type: "string", enum: ["plain", "formal"], default: "plain" },
    stars: { type: "integer" },
    urgent: { type: "boolean" },
  },
  required: ["text", "tone"],
};

describe.each(TEST_PROVIDERS)("serving API (read, render) on %s", (provider) => {
  let w: ApiWorld;
  let taskId: string;
  const ids: string[] = [];
  const params = { project: "alpha", task: "sentiment" };
  const viewerKey = () => ({ bearer: w.keys.alphaViewer });
  const get = (query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    w.call(serving.GET, { params, query, headers, as: viewerKey() });

  beforeAll(async () => {
    w = await createApiWorld(provider);
    taskId = await seedTask(w.db, w.projects.alpha.id, "sentiment");
    ids.push(await seedVersion(w.db, taskId, { system: "Be brief.", output: "Classify: {{text}}" }));
    ids.push(
      await seedVersion(w.db, taskId, {
        system: "You classify reviews.",
        output: "Tone {{tone}}, {{stars}} stars, urgent {{urgent}}: {{text}}",
        demos: [{ input: { text: "Great", tone: "plain", stars: "5" }, output: "positive" }],
        params: { temperature: 0 },
        variableSchema: TYPED,
        model: "sim:default",
      }),
    );
    ids.push(await seedVersion(w.db, taskId, { output: "Newest: {{text}}" }));
    await pointLabel(w.db, w.projects.alpha.id, taskId, "production", ids[0]!);
    await pointLabel(w.db, w.projects.alpha.id, taskId, "staging", ids[1]!);
    const beta = await seedTask(w.db, w.projects.beta.id, "beta-only");
    await pointLabel(
      w.db,
      w.projects.beta.id,
      beta,
      "production",
      await seedVersion(w.db, beta, { output: "{{x}}" }),
    );
  });
  afterEach(() => setServedPromptCache());
  afterAll(async () => {
    await w?.close();
  });

  it("answers the production version by default, with a strong ETag and revalidation headers", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("private, max-age=0, must-revalidate");
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    // The length is sent (no chunked transfer), and is the body's in bytes.
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(res.text));
    expect(res.json).toEqual({
      id: ids[0],
      name: "sentiment",
      version: 1,
      label: "production",
      system: "Be brief.",
      output: "Classify: {{text}}",
      demos: [],
      params: {},
      // No declared schema: the template's variables, each a required string.
      variables: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
      model: null,
    });
  });

  it("resolves ?label=, ?label=latest and ?version=; each answer has its own ETag", async () => {
    const staging = await get({ label: "staging" });
    expect(staging.json).toMatchObject({ id: ids[1], version: 2, label: "staging", model: "sim:default" });
    expect(staging.json.variables).toEqual(TYPED);
    const latest = await get({ label: "latest" });
    expect(latest.json).toMatchObject({ id: ids[2], version: 3, label: "latest" });
    const byNumber = await get({ version: "2" });
    expect(byNumber.json).toMatchObject({ id: ids[1], version: 2, label: null });
    const tags = [staging, latest, byNumber, await get()].map((r) => r.headers.get("etag"));
    expect(new Set(tags).size).toBe(4);
  });

  it("If-None-Match with the current ETag is a 304 without a body; another tag gets the version", async () => {
    const first = await get();
    const etag = first.headers.get("etag")!;
    const again = await get({}, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("private, max-age=0, must-revalidate");
    expect((await get({}, { "if-none-match": `"stale", W/${etag}` })).status).toBe(304);
    const other = await get({}, { "if-none-match": '"something-else"' });
    expect(other.status).toBe(200);
    expect(other.json.id).toBe(ids[0]);
  });

  it("serves from memory until the label moves: the hook forgets the task's answers at once", async () => {
    setServedPromptCache(new ServedPromptCache(60_000));
    const before = await get();
    expect(before.json.version).toBe(1);
    // A change behind the cache's back (no hook) is not seen while the entry lives …
    await pointLabel(w.db, w.projects.alpha.id, taskId, "production", ids[2]!);
    expect((await get()).json.version).toBe(1);
    // … the hook that every label move calls makes the next read see it, with a new ETag.
    servedPromptChanged({ projectId: w.projects.alpha.id, taskName: "sentiment" });
    const after = await get({}, { "if-none-match": before.headers.get("etag")! });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ version: 3, id: ids[2] });
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    await pointLabel(w.db, w.projects.alpha.id, taskId, "production", ids[0]!);
    servedPromptChanged({ projectId: w.projects.alpha.id, taskName: "sentiment" });
  });

  it("404s name the unknown prompt, label or version; another project's prompt is unknown", async () => {
    const as = viewerKey();
    const missing = await w.call(serving.GET, { params: { ...params, task: "nope" }, as });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe('no prompt named "nope" in this project');
    const label = await get({ label: "canary" });
    expect(label.status).toBe(404);
    expect(label.json.error.message).toBe('prompt "sentiment" has no label "canary"');
    const version = await get({ version: "9" });
    expect(version.status).toBe(404);
    expect(version.json.error.message).toBe('prompt "sentiment" has no version 9');
    expect((await w.call(serving.GET, { params: { ...params, task: "beta-only" }, as })).status).toBe(404);
    const both = await get({ label: "staging", version: "1" });
    expect(both.status).toBe(400);
    expect(both.json.error.details.issues[0]).toMatchObject({ in: "query", path: "version" });
    const zero = await get({ version: "0" });
    expect(zero.status).toBe(400);
    expect(zero.json.error.details.issues[0]).toMatchObject({ in: "query", path: "version" });
  });

  it("needs a credential of the project; a session of a viewer works too", async () => {
    expect((await w.call(serving.GET, { params })).status).toBe(401);
    expect((await w.call(serving.GET, { params, as: { bearer: w.keys.betaAdmin } })).status).toBe(404);
    expect((await w.call(serving.GET, { params, as: w.users.viewer.credential })).status).toBe(200);
  });

  it("renders provider-ready messages with the variables checked, coerced and defaulted", async () => {
    const res = await w.call(render.POST, {
      params,
      as: viewerKey(),
      body: { label: "staging", variables: { text: "Slow delivery", stars: "2", urgent: true } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: ids[1],
      name: "sentiment",
      version: 2,
      label: "staging",
      model: "sim:default",
      params: { temperature: 0 },
      messages: [
        { role: "system", content: "You classify reviews." },
        // The demo does not give `urgent`: an absent value renders as "".
        { role: "user", content: "Tone plain, 5 stars, urgent : Great" },
        { role: "assistant", content: "positive" },
        { role: "user", content: "Tone plain, 2 stars, urgent true: Slow delivery" },
      ],
    });
    const byDefault = await w.call(render.POST, {
      params,
      as: viewerKey(),
      body: { variables: { text: "ok" } },
    });
    expect(byDefault.json.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Classify: ok" },
    ]);
  });

  it("rendering names every missing, mistyped or unknown variable (400)", async () => {
    const call = (body: unknown) => w.call(render.POST, { params, as: viewerKey(), body });
    const missing = await call({ label: "staging", variables: { stars: 3 } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toBe("Invalid body.variables.text: is required");
    const wrong = await call({ version: 2, variables: { text: "x", stars: "many", tone: "loud", extra: 1 } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.details.issues).toEqual([
      { in: "body", path: "variables.extra", message: "is not a variable of this prompt version" },
      { in: "body", path: "variables.tone", message: 'must be one of "plain", "formal"' },
      { in: "body", path: "variables.stars", message: 'expected a number, got "many"' },
    ]);
    const typo = await call({ variabels: { text: "x" } });
    expect(typo.status).toBe(400);
    expect(typo.json.error.details.issues[0]).toMatchObject({ in: "body" });
    expect((await call({ label: "canary", variables: {} })).status).toBe(404);
  });
});
