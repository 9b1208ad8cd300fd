// The playground service on both databases, against a loopback SSE server that sends the first words of
// an answer and then holds the connection open: the caller's signal aborts the column still streaming
// (it ends with an error record, the others answer), cancelling the NDJSON stream closes the provider
// connection behind it, and a viewer is refused with an audit entry.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as credential from "@/app/api/v1/projects/[project]/credentials/[credential]/route";
import * as modelConfigs from "@/app/api/v1/projects/[project]/model-configs/route";
import { seedTask, seedVersion } from "@/app/api/v1/testing/serving-fixtures";
import { projectAccess } from "@/lib/auth/access";
import { actorOf } from "@/lib/auth/principal";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { type PlaygroundRecord, playgroundRunBodySchema } from "@/lib/validation/playground";
import { servingGateways } from "../serving/gateways";
import { playgroundNdjson } from "./ndjson";
import { runPlayground } from "./run";

/** A chat server that streams one delta, then never finishes; counts the connections its clients closed. */
async function startHangingServer(): Promise<{
  baseURL: string;
  closed: () => number;
  close(): Promise<void>;
}> {
  let closed = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "text/event-stream" });
    const chunk = {
      id: "x",
      object: "chat.completion.chunk",
      created: 1,
      model: "hang",
      choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }],
    };
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.on("close", () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    closed: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
};

describe.each(TEST_PROVIDERS)("playground service on %s", (provider) => {
  let w: ApiWorld;
  let hanging: Awaited<ReturnType<typeof startHangingServer>>;
  const body = playgroundRunBodySchema.parse({
    task: "hang-task",
    columns: [{ version: 1 }, { version: 1, model: "sim:default" }],
    variables: { q: "why?" },
  });
  const editor = () => projectAccess(w.db, w.users.editor.principal, "alpha");

  beforeAll(async () => {
    hanging = await startHangingServer();
    w = await createApiWorld(provider);
    const stored = await w.call(credential.PUT, {
      as: w.users.admin.credential,
      params: { project: "alpha", credential: "hang" },
      body: { provider: "openai-compatible", baseURL: hanging.baseURL, apiKey: "hang-key-0123456789" },
    });
    expect(stored.status, stored.text).toBe(200);
    const config = await w.call(modelConfigs.POST, {
      as: w.users.editor.credential,
      params: { project: "alpha" },
      body: { name: "hanging", model: "openai-compatible:hang", credential: "hang" },
    });
    expect(config.status, config.text).toBe(201);
    const taskId = await seedTask(w.db, w.projects.alpha.id, "hang-task");
    await seedVersion(w.db, taskId, { output: "Question: {{q}}", model: "hanging" });
  });
  afterAll(async () => {
    if (w) await servingGateways(w.db).close();
    await w?.close();
    await hanging?.close();
  });

  it("the caller's signal aborts the column still streaming; the other one answers", async () => {
    const controller = new AbortController();
    const records: PlaygroundRecord[] = [];
    const closed = hanging.closed();
    const run = await runPlayground(w.db, await editor(), body, actorOf(w.users.editor.principal), {
      signal: controller.signal,
    });
    let seen = { delta: false, result: false };
    for await (const record of run) {
      records.push(record);
      if (record.type === "delta" && record.column === 0) seen = { ...seen, delta: true };
      if (record.type === "result" && record.column === 1) seen = { ...seen, result: true };
      if (seen.delta && seen.result && !controller.signal.aborted) controller.abort();
    }
    expect(records.filter((r) => r.column === 0).map((r) => r.type)).toEqual(["start", "delta", "error"]);
    expect(records.find((r) => r.column === 0 && r.type === "error")).toMatchObject({
      code: "provider_error",
      message: expect.stringContaining("aborted"),
    });
    expect(records.filter((r) => r.column === 1).at(-1)?.type).toBe("result");
    expect(await waitFor(() => hanging.closed() > closed)).toBe(true);
  });

  it("cancelling the NDJSON stream closes the provider connection behind it", async () => {
    const closed = hanging.closed();
    const only = { ...body, columns: [body.columns[0]!] };
    const stream = await playgroundNdjson(w.db, await editor(), only, actorOf(w.users.editor.principal));
    const reader = stream.getReader();
    let text = "";
    while (!text.includes('"type":"delta"')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(await waitFor(() => hanging.closed() > closed)).toBe(true);
  });

  it("refuses a viewer, with an audit entry", async () => {
    const viewer = await projectAccess(w.db, w.users.viewer.principal, "alpha");
    const refused = await runPlayground(w.db, viewer, body, actorOf(w.users.viewer.principal)).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ status: 403 });
    const audit = await w.db.auditLog.findFirst({
      where: { action: "access.refused" },
      orderBy: { createdAt: "desc" },
    });
    expect(audit?.after).toMatchObject({ operation: "run the playground", role: "viewer" });
  });
});
