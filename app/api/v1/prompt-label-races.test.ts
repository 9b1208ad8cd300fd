// Simultaneous label requests through the API on both databases: many moves of one label at once each
// answer 200 with exactly one history entry (or 409 to retry), the chain of from → to is unbroken and
// the label is on one version; two applies of one approved request move the label once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import * as apply from "./projects/[project]/prompts/[task]/change-requests/[request]/apply/route";
import * as approve from "./projects/[project]/prompts/[task]/change-requests/[request]/approve/route";
import * as requests from "./projects/[project]/prompts/[task]/change-requests/route";
import * as label from "./projects/[project]/prompts/[task]/labels/[label]/route";
import { authorTask, UNTYPED } from "./projects/[project]/prompts/testing";

const VERSIONS = 16;

describe.each(TEST_PROVIDERS)("label races through the API on %s", (provider) => {
  let w: ApiWorld;
  let taskId: string;
  const at = (name: string) => ({ project: "alpha", task: "race", label: name });

  beforeAll(async () => {
    w = await createApiWorld(provider);
    ({ taskId } = await authorTask(
      w,
      "race",
      Array.from({ length: VERSIONS }, (_, i) => ({
        ...UNTYPED,
        systemPrompt: `v${i + 1}`,
        message: `v${i + 1}`,
      })),
    ));
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it("simultaneous moves: one history entry per 200, an unbroken chain, the label on one version", async () => {
    await w.call(label.PUT, {
      params: at("production"),
      body: { version: 1 },
      as: w.users.editor.credential,
    });
    const callers = [w.users.editor.credential, { bearer: w.keys.alphaEditor }, w.users.admin.credential];
    const responses = await Promise.all(
      Array.from({ length: VERSIONS - 1 }, (_, i) =>
        w.call(label.PUT, {
          params: at("production"),
          body: { version: i + 2, reason: `r${i}` },
          as: callers[i % 3]!,
        }),
      ),
    );
    for (const res of responses) expect([200, 409]).toContain(res.status);
    const ok = responses.filter((res) => res.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    const events = await w.db.promptLabelEvent.findMany({
      where: { taskId, label: "production", action: "moved" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(events.map((e) => e.id).sort()).toEqual(ok.map((res) => res.json.event.id).sort());
    const versionOf = new Map(
      (await w.db.promptVersion.findMany({ where: { taskId } })).map((v) => [v.id, v.version]),
    );
    let onVersion = 1;
    for (const event of events) {
      expect(versionOf.get(event.fromVersionId!)).toBe(onVersion);
      onVersion = versionOf.get(event.toVersionId!)!;
    }
    const labels = await w.db.promptLabel.findMany({ where: { taskId } });
    expect(labels).toHaveLength(1);
    expect(versionOf.get(labels[0]!.versionId)).toBe(onVersion);
    expect(
      await w.db.auditLog.count({ where: { action: "prompt.label_moved", targetLabel: "race:production" } }),
    ).toBe(events.length);
  });

  it("two applies of one approved request at once: the label moves once, the other gets a 409", async () => {
    const request = await w.call(requests.POST, {
      params: { project: "alpha", task: "race" },
      body: { label: "staging", version: 3, reason: "ship" },
      as: w.users.editor.credential,
    });
    const params = { project: "alpha", task: "race", request: request.json.id };
    expect((await w.call(approve.POST, { params, as: w.users.admin.credential })).status).toBe(200);
    const both = await Promise.all([
      w.call(apply.POST, { params, as: w.users.editor.credential }),
      w.call(apply.POST, { params, as: { bearer: w.keys.alphaEditor } }),
    ]);
    expect(both.map((res) => res.status).sort()).toEqual([200, 409]);
    expect(await w.db.promptLabelEvent.count({ where: { taskId, label: "staging" } })).toBe(1);
  });
});
