// A project over HTTP on both databases: rename (slug stays) and archive/unarchive by admins, with audit
// entries; an archived project leaves the default list, stays readable and refuses new work with 409.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { type ApiWorld, createApiWorld } from "@/lib/http/testing";
import { listMyProjects } from "@/lib/services/projects";
import * as projectList from "../route";
import * as batches from "./batches/route";
import * as datasetEdit from "./datasets/[dataset]/examples/route";
import * as datasets from "./datasets/route";
import { csv, send } from "./datasets/testing";
import * as project from "./route";
import * as runs from "./runs/route";

const RUN_SPEC = {
  task: "support",
  datasetVersionId: "v1",
  models: { task: "sim:echo", optimizer: "sim:echo" },
  metrics: ["exact_match"],
};

describe.each(TEST_PROVIDERS)("project settings API on %s", (provider) => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await createApiWorld(provider);
  });
  afterAll(async () => {
    await w?.close();
  });

  const patch = (as: ApiWorld["users"]["admin"]["credential"] | { bearer: string }, body: unknown) =>
    w.call(project.PATCH, { as, params: { project: "alpha" }, body });
  const auditActions = async () =>
    (
      await w.db.auditLog.findMany({
        where: { projectId: w.projects.alpha.id, action: { startsWith: "project." } },
        orderBy: { createdAt: "asc" },
      })
    ).map((entry) => `${entry.action}:${entry.actorLabel}`);

  it("lets an admin rename the project; the slug stays and the change is audited", async () => {
    const res = await patch(w.users.admin.credential, { name: "  Alpha support  " });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ slug: "alpha", name: "Alpha support", archivedAt: null, role: "admin" });
    const read = await w.call(project.GET, { as: w.users.viewer.credential, params: { project: "alpha" } });
    expect(read.json.name).toBe("Alpha support");
    // The same name again changes nothing and writes no entry.
    expect((await patch(w.users.admin.credential, { name: "Alpha support" })).status).toBe(200);
    expect(await auditActions()).toEqual([
      "project.created:owner@example.com",
      "project.renamed:admin@example.com",
    ]);
  });

  it("refuses editors and bad bodies, naming the field", async () => {
    const asEditor = await patch(w.users.editor.credential, { name: "Mine now" });
    expect(asEditor.status).toBe(403);
    const empty = await patch(w.users.admin.credential, { name: " " });
    expect(empty.status).toBe(400);
    expect(empty.json.error.details.issues).toEqual([{ in: "body", path: "name", message: "enter a name" }]);
    const nothing = await patch(w.users.admin.credential, {});
    expect(nothing.status).toBe(400);
    const slug = await patch(w.users.admin.credential, { slug: "other" });
    expect(slug.status).toBe(400);
    expect(
      (await w.call(project.GET, { as: w.users.viewer.credential, params: { project: "alpha" } })).json.name,
    ).toBe("Alpha support");
  });

  it("archives: the project leaves the default list, stays readable and refuses new work with 409", async () => {
    // A dataset to edit once the project is archived.
    const upload = await send(datasets.POST, {
      as: { bearer: w.keys.alphaEditor },
      query: { name: "faq", filename: "faq.csv", expected: "label", id: "id" },
      body: csv([
        ["id", "question", "label"],
        ["q1", "Hi?", "yes"],
        ["q2", "Bye?", "no"],
        ["q3", "Ok?", "yes"],
      ]),
      headers: { "content-type": "text/csv" },
    });
    expect(upload.status, upload.text).toBe(201);

    const archived = await patch({ bearer: w.keys.alphaAdmin }, { archived: true });
    expect(archived.status, archived.text).toBe(200);
    expect(archived.json.archivedAt).toEqual(expect.any(String));

    const viewer = w.users.viewer.principal;
    expect((await listMyProjects(w.db, viewer)).map((p) => p.slug)).not.toContain("alpha");
    const all = await listMyProjects(w.db, viewer, { includeArchived: true });
    expect(all.find((p) => p.slug === "alpha")?.archivedAt).toBeInstanceOf(Date);
    const slugs = async (query: Record<string, string>) =>
      (
        (await w.call(projectList.GET, { as: w.users.viewer.credential, query })).json.items as {
          slug: string;
        }[]
      ).map((p) => p.slug);
    expect(await slugs({})).not.toContain("alpha");
    expect(await slugs({ archived: "include" })).toContain("alpha");
    expect(
      (await w.call(projectList.GET, { as: w.users.viewer.credential, query: { archived: "yes" } })).status,
    ).toBe(400);
    const read = await w.call(project.GET, { as: w.users.viewer.credential, params: { project: "alpha" } });
    expect(read.status).toBe(200);
    expect(read.json.archivedAt).toBe(archived.json.archivedAt);

    const editor = { bearer: w.keys.alphaEditor };
    const refusals = [
      await w.call(runs.POST, { as: editor, params: { project: "alpha" }, body: RUN_SPEC }),
      await w.call(batches.POST, {
        as: editor,
        params: { project: "alpha" },
        body: { task: "support", datasetVersionId: "v1", model: "sim:echo" },
      }),
      await send(datasets.POST, {
        as: editor,
        query: { name: "more", filename: "more.csv", expected: "label" },
        body: csv([
          ["question", "label"],
          ["Hi?", "yes"],
        ]),
        headers: { "content-type": "text/csv" },
      }),
      await send(datasetEdit.PATCH, {
        as: editor,
        params: { dataset: "faq" },
        body: JSON.stringify({ baseVersion: 1, delete: ["q1"] }),
        headers: { "content-type": "application/json" },
      }),
    ];
    for (const res of refusals) {
      expect(res.status, res.text).toBe(409);
      expect(res.json.error.message).toContain('project "alpha" is archived');
      expect(res.json.error.details.status).toBe("archived");
    }
    expect(await w.db.dataset.count({ where: { projectId: w.projects.alpha.id } })).toBe(1);
    expect(await w.db.datasetVersion.count()).toBe(1);
  });

  it("unarchives: new work is accepted again, and both changes are audited", async () => {
    const res = await patch(w.users.admin.credential, { archived: false });
    expect(res.status).toBe(200);
    expect(res.json.archivedAt).toBeNull();
    expect((await listMyProjects(w.db, w.users.viewer.principal)).map((p) => p.slug)).toContain("alpha");
    const edit = await send(datasetEdit.PATCH, {
      as: { bearer: w.keys.alphaEditor },
      params: { dataset: "faq" },
      body: JSON.stringify({ baseVersion: 1, delete: ["q1"] }),
      headers: { "content-type": "application/json" },
    });
    expect(edit.status, edit.text).toBe(201);
    const keyPrefix = w.keys.alphaAdmin.slice(0, "strop_".length + 8);
    expect(await auditActions()).toEqual([
      "project.created:owner@example.com",
      "project.renamed:admin@example.com",
      `project.archived:${keyPrefix}`,
      "project.unarchived:admin@example.com",
    ]);
  });
});
