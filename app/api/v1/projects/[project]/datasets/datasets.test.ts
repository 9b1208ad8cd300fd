// Datasets over HTTP on both databases: preview pages, download round trips, edits that create a new
// version, deletion and access. Uploads and their validation report: uploads.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { createRun, findOrCreatePromptVersion, upsertTask } from "@/lib/db";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import type { ApiWorld } from "@/lib/http/testing";
import { storedRunConfig } from "@/lib/validation/testing/stored-fixtures";
import * as examplesEdit from "./[dataset]/examples/route";
import * as dataset from "./[dataset]/route";
import * as download from "./[dataset]/versions/[version]/download/route";
import * as preview from "./[dataset]/versions/[version]/examples/route";
import * as version from "./[dataset]/versions/[version]/route";
import * as versions from "./[dataset]/versions/route";
import * as datasets from "./route";
import { csv, HEADER, registerDatasetsApiWorld, rows, send } from "./testing";

describe.each(TEST_PROVIDERS)("datasets API on %s", (provider) => {
  const world = registerDatasetsApiWorld(provider);
  const { counts, uploadCsv, pages } = world;
  let w: ApiWorld;
  let editor: { bearer: string };
  let viewer: { bearer: string };
  beforeAll(async () => {
    ({ w, editor, viewer } = world.state);
    // The dataset the tests below read, edit and try to delete (as the upload tests create it).
    const faq = await uploadCsv("faq", csv([HEADER, ...rows(12)]), {
      validation: "0.2",
      test: "0.3",
      seed: "7",
    });
    expect(faq.status, faq.text).toBe(201);
  });

  describe("reading", () => {
    it("pages through a version in file order, and refuses a forged cursor", async () => {
      expect((await uploadCsv("paged", csv([HEADER, ...rows(120)]))).status).toBe(201);
      const { rows: all, calls } = await pages("paged", 1, 50);
      expect(calls).toBe(3);
      expect(all.map((r) => r.rowNumber)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(all.map((r) => r.id)).toEqual(rows(120).map((r) => r[0]));
      const forged = await send(preview.GET, {
        as: viewer,
        params: { dataset: "paged", version: "1" },
        query: { cursor: "bm9wZQ" },
      });
      expect(forged.status).toBe(400);
      expect(forged.json.error.details.issues[0].path).toBe("cursor");
    });

    it("gets a dataset by name or id with its versions, and a version's metadata", async () => {
      const byName = await send(dataset.GET, { as: viewer, params: { dataset: "paged" } });
      expect(byName.status).toBe(200);
      const byId = await send(dataset.GET, { as: viewer, params: { dataset: byName.json.id } });
      expect(byId.json).toEqual(byName.json);
      expect(byName.json.versions).toHaveLength(1);
      const meta = await send(version.GET, { as: viewer, params: { dataset: "paged", version: "1" } });
      expect(meta.json).toEqual(byName.json.versions[0]);
      const missing = await send(version.GET, { as: viewer, params: { dataset: "paged", version: "9" } });
      expect(missing.status).toBe(404);
    });

    it("downloads what was uploaded: CSV byte for byte, JSONL row for row", async () => {
      const original = csv([HEADER, ...rows(2500)]);
      expect((await uploadCsv("round-trip", original)).status).toBe(201);
      const asCsv = await send(download.GET, { as: viewer, params: { dataset: "round-trip", version: "1" } });
      expect(asCsv.status).toBe(200);
      expect(asCsv.headers.get("content-type")).toContain("text/csv");
      expect(asCsv.headers.get("content-disposition")).toBe('attachment; filename="round-trip-v1.csv"');
      expect(asCsv.text).toBe(original);
      const asJsonl = await send(download.GET, {
        as: viewer,
        params: { dataset: "round-trip", version: "1" },
        query: { format: "jsonl" },
      });
      const objects = asJsonl.text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(objects).toEqual(rows(2500).map((r) => Object.fromEntries(HEADER.map((h, i) => [h, r[i]]))));
      // The JSONL download uploads again as the same rows.
      const again = await send(datasets.POST, {
        as: editor,
        query: {
          name: "round-trip-2",
          filename: "again.jsonl",
          expected: "label",
          inputs: "question",
          id: "id",
        },
        body: asJsonl.text,
      });
      expect(again.status).toBe(201);
      const back = await send(download.GET, {
        as: viewer,
        params: { dataset: "round-trip-2", version: "1" },
      });
      expect(back.text).toBe(original);
    });
  });

  describe("versions", () => {
    it("editing rows creates version 2 and leaves version 1 as it was", async () => {
      expect((await uploadCsv("edited", csv([HEADER, ...rows(5)]))).status).toBe(201);
      const v1Before = await pages("edited", 1, 100);
      const res = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({
          baseVersion: 1,
          upsert: [
            { id: "q2", expected: "maybe" },
            { id: "q9", input: { question: "New one", context: "ctx" }, expected: "yes" },
          ],
          delete: ["q4"],
        }),
        headers: { "content-type": "application/json" },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json.version).toMatchObject({
        version: 2,
        parentVersion: 1,
        rowCount: 5,
        inputColumns: ["question", "context"],
        columns: [...HEADER, "context"],
        note: "edit of v1: 2 upserted, 1 deleted",
      });
      const v2 = await pages("edited", 2, 2);
      expect(v2.rows.map((r) => [r.id, r.rowNumber, r.expected])).toEqual([
        ["q1", 1, "yes"],
        ["q2", 2, "maybe"],
        ["q3", 3, "no"],
        ["q5", 4, "no"],
        ["q9", 5, "yes"],
      ]);
      expect((await pages("edited", 1, 100)).rows).toEqual(v1Before.rows);
      const v2csv = await send(download.GET, { as: viewer, params: { dataset: "edited", version: "2" } });
      expect(v2csv.text.split("\n")[5]).toBe("q9,New one,yes,,ctx");

      const stale = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({ baseVersion: 1, delete: ["q1"] }),
        headers: { "content-type": "application/json" },
      });
      expect(stale.status).toBe(409);
      expect(stale.json.error.details).toEqual({ issues: [], latestVersion: 2 });
      const unknown = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({ baseVersion: 2, delete: ["nope"], upsert: [{ id: "new", expected: "x" }] }),
        headers: { "content-type": "application/json" },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error.message).toContain('"nope"');
      const notInput = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({
          baseVersion: 2,
          upsert: [{ id: "q1", input: { question: "q", notes: "n" } }],
        }),
        headers: { "content-type": "application/json" },
      });
      expect(notInput.status).toBe(400);
      expect(notInput.json.error.message).toContain('"notes"');
      const splits = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "edited" },
        body: JSON.stringify({ baseVersion: 2, splits: { validation: 0.3, test: 0.3, seed: 1 } }),
        headers: { "content-type": "application/json" },
      });
      expect(splits.status).toBe(201);
      expect(splits.json.version).toMatchObject({
        version: 3,
        rowCount: 5,
        splits: { validation: 0.3, test: 0.3, seed: 1 },
      });
      expect(
        (await send(dataset.GET, { as: viewer, params: { dataset: "edited" } })).json.versions.map(
          (v: { version: number }) => v.version,
        ),
      ).toEqual([3, 2, 1]);
    });

    it("ids that stop being row numbers get an id column", async () => {
      const res = await send(datasets.POST, {
        as: editor,
        query: { name: "no-ids", filename: "n.csv", expected: "label" },
        body: "text,label\na,x\nb,y\nc,z\n",
      });
      expect(res.json.version.idColumn).toBeNull();
      const edit = await send(examplesEdit.PATCH, {
        as: editor,
        params: { dataset: "no-ids" },
        body: JSON.stringify({ baseVersion: 1, delete: ["1"] }),
        headers: { "content-type": "application/json" },
      });
      expect(edit.json.version).toMatchObject({ idColumn: "id", columns: ["id", "text", "label"] });
      const text = (await send(download.GET, { as: viewer, params: { dataset: "no-ids", version: "2" } }))
        .text;
      expect(text).toBe("id,text,label\n2,b,y\n3,c,z\n");
    });

    it("uploads a new version with the latest mapping, and returns the same version for the same content", async () => {
      const next = rows(6);
      next[0]![2] = "changed";
      const upload = (data: string) =>
        send(versions.POST, {
          as: editor,
          params: { dataset: "faq" },
          query: { filename: "faq2.csv" },
          body: data,
        });
      const v2 = await upload(csv([HEADER, ...next]));
      expect(v2.status, v2.text).toBe(201);
      expect(v2.json).toMatchObject({
        created: true,
        version: {
          version: 2,
          rowCount: 6,
          inputColumns: ["question"],
          idColumn: "id",
          splits: { validation: 0.2, seed: 7 },
        },
      });
      const same = await upload(csv([HEADER, ...next]));
      expect(same.json).toMatchObject({ created: false, version: { id: v2.json.version.id, version: 2 } });
      const v1 = await pages("faq", 1, 100);
      expect(v1.rows).toHaveLength(12);
    });
  });

  describe("access and deletion", () => {
    it("viewers read but cannot write; other projects see nothing", async () => {
      const before = await counts();
      const upload = await send(datasets.POST, {
        as: viewer,
        query: { name: "v", filename: "v.csv", expected: "label" },
        body: csv([HEADER, ...rows(2)]),
      });
      expect(upload.status).toBe(403);
      const edit = await send(examplesEdit.PATCH, {
        as: viewer,
        params: { dataset: "faq" },
        body: JSON.stringify({ baseVersion: 2, delete: ["q1"] }),
        headers: { "content-type": "application/json" },
      });
      expect(edit.status).toBe(403);
      expect((await send(dataset.DELETE, { as: viewer, params: { dataset: "faq" } })).status).toBe(403);
      expect(
        (await send(download.GET, { as: viewer, params: { dataset: "faq", version: "1" } })).status,
      ).toBe(200);
      const outsider = { bearer: w.keys.betaAdmin };
      const other = await send(dataset.GET, { as: outsider, params: { dataset: "faq" } });
      expect(other.status).toBe(404);
      const otherDownload = await send(download.GET, {
        as: outsider,
        params: { dataset: "faq", version: "1" },
      });
      expect(otherDownload.status).toBe(404);
      expect(otherDownload.text).not.toContain("q1");
      const inBeta = await send(dataset.GET, { as: outsider, params: { project: "beta", dataset: "faq" } });
      expect(inBeta.status).toBe(404);
      expect(await counts()).toEqual(before);
    });

    it("deletes a dataset, but not one a run used", async () => {
      const del = await send(dataset.DELETE, { as: editor, params: { dataset: "paged" } });
      expect(del.status).toBe(204);
      expect((await send(dataset.GET, { as: viewer, params: { dataset: "paged" } })).status).toBe(404);

      const used = await send(dataset.GET, { as: viewer, params: { dataset: "faq" } });
      const task = await upsertTask(w.db, w.projects.alpha.id, { name: "faq-task", description: "" });
      const { version: prompt } = await findOrCreatePromptVersion(
        w.db,
        task.id,
        { systemPrompt: "s", outputPrompt: "{{question}}", demos: [], params: {} },
        { source: "file" },
      );
      await createRun(w.db, {
        projectId: w.projects.alpha.id,
        taskId: task.id,
        kind: "optimize",
        baselineVersionId: prompt.id,
        datasetVersionId: used.json.versions[1].id,
        config: storedRunConfig(),
        seed: 1,
      });
      const refused = await send(dataset.DELETE, { as: editor, params: { dataset: "faq" } });
      expect(refused.status).toBe(409);
      const meta = await send(version.GET, { as: viewer, params: { dataset: "faq", version: "1" } });
      expect(meta.json.runCount).toBe(1);
    });
  });
});
