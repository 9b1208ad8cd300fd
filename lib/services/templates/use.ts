// "Use this template": in one transaction, a task named after the template (its first version from the
// template's prompt, "From template <name>"), a dataset of its rows written as an upload is (versions,
// preview, download work as for any dataset), and a metric configuration per suggested metric. Every
// part goes through the service that makes it by hand, with its checks and audit entries; if any part
// fails nothing is left behind.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ProjectAccess } from "@/lib/auth/principal";
import {
  type AuditActor,
  appendAudit,
  type Db,
  findDataset,
  getMetricConfig,
  getTaskByName,
  inOneTransaction,
  writeDatasetVersion,
} from "@/lib/db";
import type { UsedTemplate } from "@/lib/validation/template-api";
import type { TemplateDocument } from "@/lib/validation/templates";
import { type CheckedFile, type ColumnMapping, checkDatasetFile, examplesOf } from "../dataset-upload";
import { DEFAULT_SPLITS } from "../datasets";
import { requireActiveProject } from "../projects";
import { requireRole, servingChanged } from "../prompts/access";
import { createPromptTask } from "../prompts/authoring";
import { createProjectMetricConfig } from "../settings";
import { resolveTemplate } from "./catalog";

interface Names {
  task: string;
  metrics: string[];
}

/** Configuration names of the template's metrics for `task`: "<task>.<metric>", numbered when repeated. */
function metricConfigNames(task: string, doc: TemplateDocument): string[] {
  return doc.metrics.map((metric) => {
    const same = doc.metrics.filter((m) => m.name === metric.name);
    return same.length > 1 ? `${task}.${metric.name}-${same.indexOf(metric) + 1}` : `${task}.${metric.name}`;
  });
}

/** The first of slug, slug-2, slug-3… free as a task, a dataset and metric configuration names. */
async function freeNames(db: Db, projectId: string, doc: TemplateDocument, asked?: string): Promise<Names> {
  if (asked) return { task: asked, metrics: metricConfigNames(asked, doc) };
  for (let n = 1; ; n++) {
    const task = n === 1 ? doc.slug : `${doc.slug}-${n}`;
    const metrics = metricConfigNames(task, doc);
    const taken =
      (await getTaskByName(db, projectId, task)) ||
      (doc.dataset.rows.length > 0 && (await findDataset(db, projectId, task))) ||
      (await Promise.all(metrics.map((name) => getMetricConfig(db, projectId, name)))).some(Boolean);
    if (!taken) return { task, metrics };
  }
}

/** The rows as a JSONL file, every variable present (an optional one takes its default, else ""). */
function rowsAsJsonl(doc: TemplateDocument): string {
  const variables = Object.entries(doc.variables.properties);
  return doc.dataset.rows
    .map((row) => {
      const filled = { ...row };
      for (const [name, property] of variables) filled[name] ??= property.default ?? "";
      return `${JSON.stringify(filled)}\n`;
    })
    .join("");
}

interface PreparedRows {
  dir: string;
  file: string;
  mapping: ColumnMapping;
  checked: CheckedFile;
}

/** The rows written to a file and checked as an upload of it would be (before the transaction). */
async function prepareRows(doc: TemplateDocument): Promise<PreparedRows | null> {
  if (doc.dataset.rows.length === 0) return null;
  const dir = await mkdtemp(path.join(os.tmpdir(), "strop-template-"));
  try {
    const file = path.join(dir, `${doc.slug}.jsonl`);
    await writeFile(file, rowsAsJsonl(doc));
    const mapping: ColumnMapping = {
      expected: doc.dataset.expected,
      inputs: Object.keys(doc.variables.properties),
      id: doc.dataset.id ?? null,
    };
    const checked = await checkDatasetFile(file, "jsonl", `template ${doc.slug}`, mapping, DEFAULT_SPLITS);
    return { dir, file, mapping, checked };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export async function useTemplate(
  db: Db,
  access: ProjectAccess,
  slug: string,
  body: { name?: string },
  actor: AuditActor,
): Promise<UsedTemplate> {
  await requireRole(db, access, actor, "editor", { operation: "use a template", target: slug });
  await requireActiveProject(db, access);
  const { doc, source } = await resolveTemplate(db, access, slug);
  const rows = await prepareRows(doc);
  const scope = { projectId: access.project.id, organizationId: access.project.organization.id };
  try {
    const created = await inOneTransaction(db, async (tx) => {
      const names = await freeNames(tx, access.project.id, doc, body.name);
      const { task, version } = await createPromptTask(
        tx,
        access,
        {
          name: names.task,
          description: doc.description,
          version: {
            systemPrompt: doc.prompt.system,
            outputPrompt: doc.prompt.output,
            demos: doc.prompt.demos,
            params: doc.prompt.params,
            variables: doc.variables,
            model: null,
            message: `From template ${doc.name}`,
          },
        },
        actor,
      );
      const dataset = rows
        ? await writeDatasetVersion(tx, actor, {
            ...scope,
            dataset: { create: names.task },
            sourceName: `${doc.slug}.jsonl`,
            columns: rows.checked.columns,
            expectedColumn: rows.mapping.expected,
            inputColumns: rows.checked.inputColumns,
            idColumn: rows.mapping.id,
            splits: DEFAULT_SPLITS,
            note: `From template ${doc.name}`,
            contentHash: rows.checked.contentHash,
            rows: () => examplesOf(rows.file, "jsonl", `template ${doc.slug}`, rows.mapping),
          })
        : null;
      const metricConfigs = [];
      for (const [i, metric] of doc.metrics.entries()) {
        const name = names.metrics[i]!;
        await createProjectMetricConfig(
          tx,
          access,
          { name, metric: metric.name, options: metric.options, weight: metric.weight, target: null },
          actor,
        );
        const stored = (await getMetricConfig(tx, access.project.id, name))!;
        metricConfigs.push({ id: stored.id, name, metric: metric.name });
      }
      await appendAudit(tx, actor, {
        action: "template.used",
        ...scope,
        targetType: "task",
        targetId: task.id,
        targetLabel: task.name,
        after: { template: doc.slug, source, task: task.name, dataset: dataset?.datasetName ?? null },
      });
      return { task, version: version!, dataset, metricConfigs };
    });
    // Again after the commit: a read between the task's creation and the commit may have cached its absence.
    servingChanged(access, created.task.name, null);
    return {
      task: { id: created.task.id, name: created.task.name },
      version: { id: created.version.id, version: created.version.version },
      dataset: created.dataset && {
        id: created.dataset.datasetId,
        name: created.dataset.datasetName,
        versionId: created.dataset.version.id,
        version: created.dataset.version.version,
        rowCount: created.dataset.version.rowCount,
      },
      metricConfigs: created.metricConfigs,
      url: `/projects/${access.project.slug}/prompts/${encodeURIComponent(created.task.name)}`,
    };
  } finally {
    if (rows) await rm(rows.dir, { recursive: true, force: true });
  }
}
