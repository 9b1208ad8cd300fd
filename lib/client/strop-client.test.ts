// The TypeScript client against the app's own route handlers over real HTTP on loopback (SQLite): the
// in-memory cache, stale-while-revalidate with ETags (the server answers 304), a label move seen after
// the TTL, the fallback to the last good copy when Strop is unreachable, and render/generate.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as generate from "@/app/api/v1/projects/[project]/prompts/[task]/generate/route";
import * as render from "@/app/api/v1/projects/[project]/prompts/[task]/render/route";
import * as serving from "@/app/api/v1/projects/[project]/prompts/[task]/route";
import { pointLabel, seedTask, seedVersion } from "@/app/api/v1/testing/serving-fixtures";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { type RouteServer, serveRouteHandlers } from "@/lib/http/testing-server";
import { servedPromptChanged } from "@/lib/services/serving/invalidation";
import { type Prompt, StropClient, type StropClientOptions, StropError } from "./strop-client";

describe("StropClient over HTTP against the serving routes", () => {
  let w: ApiWorld;
  let server: RouteServer;
  let taskId: string;
  const ids: string[] = [];
  let clock = 0;
  const errors: { status: number; fallback: boolean }[] = [];
  const client = (options: Partial<StropClientOptions> = {}) =>
    new StropClient({
      baseUrl: `${server.url}/`,
      project: "alpha",
      apiKey: w.keys.alphaEditor,
      ttlMs: 1_000,
      staleWhileRevalidateMs: 10_000,
      now: () => clock,
      onError: (error, context) => errors.push({ status: error.status, fallback: context.fallback }),
      ...options,
    });
  const gets = () => server.requests.filter((r) => r.startsWith("GET ")).length;
  const moveProduction = async (index: number) => {
    await pointLabel(w.db, w.projects.alpha.id, taskId, "production", ids[index]!);
    servedPromptChanged({ projectId: w.projects.alpha.id, taskName: "triage" });
  };
  /** Lets a background revalidation finish. */
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  beforeAll(async () => {
    w = await createApiWorld("sqlite");
    taskId = await seedTask(w.db, w.projects.alpha.id, "triage");
    ids.push(await seedVersion(w.db, taskId, { system: "One word.", output: "Ticket: {{ticket}}" }));
    ids.push(await seedVersion(w.db, taskId, { system: "Two words.", output: "Ticket: {{ticket}}" }));
    await pointLabel(w.db, w.projects.alpha.id, taskId, "production", ids[0]!);
    server = await serveRouteHandlers([serving.GET, render.POST, generate.POST]);
  });
  beforeEach(async () => {
    clock = 0;
    errors.length = 0;
    await moveProduction(0);
  });
  afterAll(async () => {
    await server?.close();
    await w?.close();
  });

  it("fetches once and answers from memory while fresh; parallel misses share one request", async () => {
    const strop = client();
    const before = gets();
    const all = await Promise.all(Array.from({ length: 10 }, () => strop.getPrompt("triage")));
    expect(gets() - before).toBe(1);
    expect(all.every((p) => p === all[0])).toBe(true);
    expect(all[0]).toMatchObject({ id: ids[0], name: "triage", version: 1, label: "production" });
    clock = 999;
    await strop.getPrompt("triage");
    expect(gets() - before).toBe(1);
    expect((await strop.getPrompt("triage", { version: 2 })).system).toBe("Two words.");
    expect(gets() - before).toBe(2);
  });

  it("stale: answers at once and revalidates by ETag in the background (304 keeps the copy)", async () => {
    const strop = client();
    const first = await strop.getPrompt("triage");
    clock = 1_500;
    const before = gets();
    expect(await strop.getPrompt("triage")).toBe(first);
    await settle();
    expect(gets() - before).toBe(1);
    // The revalidation's 304 made the copy fresh again: no request within the next TTL.
    clock = 2_400;
    expect(await strop.getPrompt("triage")).toBe(first);
    expect(gets() - before).toBe(1);
    expect(errors).toEqual([]);
  });

  it("a moved label is picked up by the revalidation after the TTL", async () => {
    const strop = client();
    expect((await strop.getPrompt("triage")).version).toBe(1);
    await moveProduction(1);
    expect((await strop.getPrompt("triage")).version).toBe(1); // fresh copy: no request
    clock = 1_001;
    expect((await strop.getPrompt("triage")).version).toBe(1); // stale copy, revalidating
    await settle();
    expect((await strop.getPrompt("triage")).version).toBe(2);
    // Past the stale window, a lookup waits for Strop.
    await moveProduction(0);
    clock += 12_000;
    expect((await strop.getPrompt("triage")).version).toBe(1);
  });

  it("Strop unreachable: the last good copy, however old; without one, a StropError with status 0", async () => {
    // A server of its own, stopped halfway: connections are then refused.
    const own = await serveRouteHandlers([serving.GET]);
    const strop = client({ baseUrl: own.url });
    const good: Prompt = await strop.getPrompt("triage");
    await own.close();
    clock = 60_000; // far past the TTL and the stale window: the lookup must ask Strop
    expect(await strop.getPrompt("triage")).toEqual(good);
    expect(errors).toEqual([{ status: 0, fallback: true }]);
    // Then it answers at once (retrying in the background) instead of waiting for Strop each time.
    clock = 60_500;
    expect(await strop.getPrompt("triage")).toEqual(good);
    await settle();
    // Nothing cached: nothing to fall back on.
    const error = await strop.getPrompt("triage", { label: "staging" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: "unreachable" });
    expect((error as StropError).message).toContain("Strop is unreachable");
  });

  it("Strop's own answers are not papered over: an unknown label is a 404 StropError", async () => {
    const strop = client();
    const error = await strop.getPrompt("triage", { label: "canary" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StropError);
    expect(error).toMatchObject({
      status: 404,
      code: "not_found",
      message: 'prompt "triage" has no label "canary"',
    });
  });

  it("renders and generates through the API; bad variables are StropErrors naming them", async () => {
    const strop = client();
    const rendered = await strop.render("triage", { ticket: "Late parcel" });
    expect(rendered.messages).toEqual([
      { role: "system", content: "One word." },
      { role: "user", content: "Ticket: Late parcel" },
    ]);
    const generated = await strop.generate("triage", { ticket: "Late parcel" }, { version: 2 });
    expect(generated).toMatchObject({ model: "sim:default", version: 2, label: null });
    expect(await w.db.generation.count({ where: { id: generated.generationId } })).toBe(1);
    const bad = await strop.render("triage", {}).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: "invalid_input" });
    expect((bad as StropError).details).toMatchObject({ issues: [{ path: "variables.ticket" }] });
  });

  it("imports nothing: an application can bundle it for any runtime", () => {
    const source = readFileSync(new URL("./strop-client.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/require\(/);
  });
});
