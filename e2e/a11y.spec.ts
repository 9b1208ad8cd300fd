// Accessibility: axe-core (@axe-core/playwright) on every page of the app at laptop size finds no serious
// or critical violation. Signed out: sign-in. Signed in as the owner: the project list, every project page,
// and the detail pages of the seeded data (the CLI's run, task and dataset in project "default", a batch
// this spec starts over the seeded dataset; a project with a running experiment, a generation and its
// feedback that `seedFeedback` makes), and the API reference. The `test` of fixtures.ts also fails on any
// browser console error.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "./fixtures";

const BLOCKING = new Set(["serious", "critical"]);

/** The serious and critical violations on the page, one readable line each. */
async function blockingViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ""))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 5)
          .map((node) => `${node.target.join(" ")} ${node.html.slice(0, 160)}`)
          .join(" | ")}`,
    );
}

/**
 * A project whose prompt has two versions, a running experiment on `production`, and a generation served
 * under it with feedback: the paths of the task page, its generations, the generation and the experiment.
 */
async function seedFeedback(page: Page): Promise<string[]> {
  const request = page.request;
  const ok = async (
    res: Awaited<ReturnType<typeof request.post>>,
    status = 201,
  ): Promise<Record<string, string>> => {
    expect(res.status(), await res.text()).toBe(status);
    return (await res.json()) as Record<string, string>;
  };
  const slug = (
    await ok(
      await request.post("/api/v1/projects", {
        data: { slug: `a11y-${Date.now().toString(36)}`, name: "A11y feedback" },
      }),
    )
  ).slug as string;
  const api = `/api/v1/projects/${slug}`;
  await ok(
    await request.post(`${api}/prompts`, {
      data: { name: "reply", version: { outputPrompt: "Reply to: {{ticket}}" } },
    }),
  );
  await ok(
    await request.post(`${api}/prompts/reply/versions`, {
      data: { outputPrompt: "Reply briefly to: {{ticket}}", message: "Shorter" },
    }),
  );
  await ok(await request.put(`${api}/prompts/reply/labels/production`, { data: { version: 1 } }), 200);
  const experiment = await ok(
    await request.post(`${api}/experiments`, {
      data: {
        name: "Brevity",
        task: "reply",
        variants: [{ version: 1 }, { version: 2 }],
        metric: { source: "feedback", name: "thumbs_up", kind: "proportion" },
        baseline: 0.5,
        minimumDetectableEffect: 0.2,
      },
    }),
  );
  await ok(await request.post(`${api}/experiments/${experiment.id}/start`), 200);
  const generated = await ok(
    await request.post(`${api}/prompts/reply/generate`, {
      data: { variables: { ticket: "Late parcel" }, subject: "user-1" },
    }),
    200,
  );
  await ok(
    await request.post("/api/v1/feedback", {
      data: {
        generationId: generated.generationId,
        name: "thumbs_up",
        value: false,
        correction: "It ships today.",
      },
    }),
  );
  const task = `/projects/${slug}/prompts/reply`;
  return [
    task,
    `${task}/generations`,
    `${task}/generations/${generated.generationId}`,
    `/projects/${slug}/experiments/${experiment.id}`,
  ];
}

/** Opens `path`, waits until it has settled (or 5 s of open connections), and checks it with axe. */
async function checkPage(page: Page, path: string, ready?: (page: Page) => Promise<void>): Promise<void> {
  await test.step(path, async () => {
    const response = await page.goto(path);
    expect(response?.status(), `${path} answers`).toBeLessThan(400);
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
    await ready?.(page);
    expect.soft(await blockingViolations(page), `axe on ${path}`).toEqual([]);
  });
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page has no serious or critical accessibility violation", async ({ page }) => {
    await checkPage(page, "/sign-in");
  });
});

test("every page of a project has no serious or critical accessibility violation", async ({ page }) => {
  test.setTimeout(240_000);
  const api = "/api/v1/projects/default";
  const json = async (path: string) => {
    const res = await page.request.get(`${api}${path}`);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return res.json();
  };
  const runs = await json("/runs");
  const run = runs.items[0].id as string;
  const datasets = await json("/datasets");
  const dataset = datasets.items[0];
  const batch = await page.request.post(`${api}/batches`, {
    data: {
      task: "sentiment",
      datasetVersionId: dataset.latestVersion.id,
      model: "sim:default",
      chunkSize: 50,
    },
  });
  expect(batch.status(), await batch.text()).toBe(202);
  const { id: batchId } = await batch.json();

  const base = "/projects/default";
  // Every page the project's navigation offers (a new page is checked as soon as it is linked), then the
  // detail pages of the seeded data and the pages reached from buttons.
  await page.goto(base);
  const navigated = await page
    .getByRole("navigation", { name: "Project" })
    .getByRole("link")
    .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
  expect(navigated).toContain(`${base}/runs`);
  const paths = new Set([
    "/projects",
    ...navigated,
    `${base}/prompts/sentiment`,
    `${base}/prompts/sentiment/diff?from=1&to=2`,
    `${base}/prompts/sentiment/edit`,
    `${base}/datasets/${encodeURIComponent(dataset.id)}`,
    `${base}/runs/new`,
    `${base}/runs/${run}`,
    `${base}/runs/${run}/results`,
    `${base}/batches/${batchId}`,
  ]);
  // Detail pages linked from list pages: a built-in template, an experiment when there is one.
  for (const list of [`${base}/templates/`, `${base}/experiments/`]) {
    await page.goto(list.slice(0, -1));
    const details = page.locator(`main a[href^="${list}"]`);
    if (await details.count()) paths.add((await details.first().getAttribute("href"))!);
  }
  for (const path of await seedFeedback(page)) paths.add(path);
  for (const path of paths) await checkPage(page, path);
});

test("the API reference has no serious or critical accessibility violation and loads nothing from elsewhere", async ({
  page,
  baseURL,
}) => {
  const foreign: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(baseURL!) && !/^(data|blob):/.test(request.url()))
      foreign.push(request.url());
  });
  await checkPage(page, "/docs/api", async () => {
    // Rendered from the served document: tags in the navigation, Markdown descriptions as text.
    await expect(page.getByRole("heading", { level: 1, name: "Strop API" })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("link", { name: "Models and metrics" }).first()).toBeVisible();
  });
  expect(foreign).toEqual([]);
});
