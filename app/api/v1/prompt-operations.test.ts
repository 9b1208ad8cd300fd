// Every operation of the prompt registry (authoring, labels, history, change requests, compare, export)
// on both databases: an unknown task, version, label or change request is a 404 naming it, and a
// viewer's write is a 403 whose refusal — and nothing else — is written to the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { RouteHandler } from "@/lib/http/define-route";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import * as applyRequest from "./projects/[project]/prompts/[task]/change-requests/[request]/apply/route";
import * as approveRequest from "./projects/[project]/prompts/[task]/change-requests/[request]/approve/route";
import * as cancelRequest from "./projects/[project]/prompts/[task]/change-requests/[request]/cancel/route";
import * as rejectRequest from "./projects/[project]/prompts/[task]/change-requests/[request]/reject/route";
import * as request from "./projects/[project]/prompts/[task]/change-requests/[request]/route";
import * as requests from "./projects/[project]/prompts/[task]/change-requests/route";
import * as compare from "./projects/[project]/prompts/[task]/compare/route";
import * as details from "./projects/[project]/prompts/[task]/details/route";
import * as history from "./projects/[project]/prompts/[task]/history/route";
import * as protection from "./projects/[project]/prompts/[task]/labels/[label]/protection/route";
import * as rollback from "./projects/[project]/prompts/[task]/labels/[label]/rollback/route";
import * as label from "./projects/[project]/prompts/[task]/labels/[label]/route";
import * as labels from "./projects/[project]/prompts/[task]/labels/route";
import * as task from "./projects/[project]/prompts/[task]/route";
import * as duplicate from "./projects/[project]/prompts/[task]/versions/[version]/duplicate/route";
import * as version from "./projects/[project]/prompts/[task]/versions/[version]/route";
import * as taskFile from "./projects/[project]/prompts/[task]/versions/[version]/task-file/route";
import * as versions from "./projects/[project]/prompts/[task]/versions/route";
import * as prompts from "./projects/[project]/prompts/route";
import { authorTask, UNTYPED } from "./projects/[project]/prompts/testing";

interface Operation {
  handler: RouteHandler;
  body?: unknown;
  query?: Record<string, string>;
  /** Params that name something missing, and the message's words for it. */
  missing: { params: Record<string, string>; names: string }[];
}

const T = { project: "alpha", task: "triage" };
const NO_TASK = { project: "alpha", task: "ghost" };
const taskMissing = (extra: Record<string, string> = {}) => ({
  params: { ...NO_TASK, ...extra },
  names: 'no task named "ghost"',
});

const OPERATIONS: Operation[] = [
  { handler: task.PATCH, body: { description: "d" }, missing: [taskMissing()] },
  { handler: task.DELETE, missing: [taskMissing()] },
  { handler: details.GET, missing: [taskMissing()] },
  { handler: versions.GET, missing: [taskMissing()] },
  { handler: versions.POST, body: UNTYPED, missing: [taskMissing()] },
  {
    handler: version.GET,
    missing: [taskMissing({ version: "1" }), { params: { ...T, version: "9" }, names: "has no version 9" }],
  },
  {
    handler: duplicate.POST,
    missing: [taskMissing({ version: "1" }), { params: { ...T, version: "9" }, names: "has no version 9" }],
  },
  {
    handler: taskFile.GET,
    missing: [taskMissing({ version: "1" }), { params: { ...T, version: "9" }, names: "has no version 9" }],
  },
  {
    handler: compare.GET,
    query: { from: "1", to: "9" },
    missing: [taskMissing(), { params: T, names: "has no version 9" }],
  },
  { handler: labels.GET, missing: [taskMissing()] },
  {
    handler: label.PUT,
    body: { version: 9 },
    missing: [taskMissing({ label: "prod" }), { params: { ...T, label: "prod" }, names: "has no version 9" }],
  },
  {
    handler: label.DELETE,
    missing: [
      taskMissing({ label: "prod" }),
      { params: { ...T, label: "ghost" }, names: 'has no label "ghost"' },
    ],
  },
  {
    handler: rollback.POST,
    missing: [
      taskMissing({ label: "prod" }),
      { params: { ...T, label: "ghost" }, names: 'has no label "ghost"' },
    ],
  },
  {
    handler: protection.PUT,
    body: { protected: true },
    missing: [
      taskMissing({ label: "prod" }),
      { params: { ...T, label: "ghost" }, names: 'has no label "ghost"' },
    ],
  },
  { handler: history.GET, missing: [taskMissing()] },
  { handler: requests.GET, missing: [taskMissing()] },
  {
    handler: requests.POST,
    body: { label: "prod", version: 9, reason: "r" },
    missing: [taskMissing(), { params: T, names: "has no version 9" }],
  },
  ...[request.GET, approveRequest.POST, rejectRequest.POST, applyRequest.POST, cancelRequest.POST].map(
    (handler): Operation => ({
      handler,
      missing: [
        taskMissing({ request: "r1" }),
        { params: { ...T, request: "r1" }, names: 'has no change request "r1"' },
      ],
    }),
  ),
];

describe.each(TEST_PROVIDERS)("every prompt registry operation on %s", (provider) => {
  let w: ApiWorld;

  beforeAll(async () => {
    w = await createApiWorld(provider);
    await authorTask(w, "triage", [UNTYPED]);
  });
  afterAll(async () => {
    await w?.close();
  });

  it("answers 404 naming the unknown task, version, label or change request", async () => {
    const failures: string[] = [];
    for (const op of OPERATIONS) {
      for (const missing of op.missing) {
        const res = await w.call(op.handler, {
          params: missing.params,
          body: op.body,
          query: op.query,
          as: w.users.owner.credential,
        });
        const where = `${op.handler.operation.method} ${op.handler.operation.path} ${JSON.stringify(missing.params)}`;
        if (res.status !== 404 || !res.json?.error?.message?.includes(missing.names))
          failures.push(`${where}: ${res.status} ${res.json?.error?.message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses a viewer's every write with a 403 and one audit entry of it, nothing else changed", async () => {
    const writes = [prompts.POST, ...OPERATIONS.map((op) => op.handler)].filter(
      (handler) => handler.operation.method !== "GET",
    );
    expect(writes.length).toBe(14);
    const others = () => w.db.auditLog.count({ where: { action: { not: "access.refused" } } });
    const labelsBefore = JSON.stringify(await w.db.promptLabel.findMany());
    const [versionsBefore, othersBefore] = [await w.db.promptVersion.count(), await others()];
    for (const handler of writes) {
      const params = { ...T, version: "1", label: "prod", request: "r1" };
      const keep = Object.fromEntries(
        Object.entries(params).filter(([name]) => handler.operation.path.includes(`{${name}}`)),
      );
      const refusals = await w.db.auditLog.count({ where: { action: "access.refused" } });
      const res = await w.call(handler, {
        params: keep,
        body: { version: 1 },
        as: w.users.viewer.credential,
      });
      expect(res.status, handler.operation.path).toBe(403);
      expect(await w.db.auditLog.count({ where: { action: "access.refused" } })).toBe(refusals + 1);
    }
    expect([await w.db.promptVersion.count(), await others()]).toEqual([versionsBefore, othersBefore]);
    expect(JSON.stringify(await w.db.promptLabel.findMany())).toBe(labelsBefore);
  });
});
