// Monitoring in the browser: after the seeded CLI optimization run and a batch started here (the
// offline simulator over the seeded reviews dataset), the owner opens Monitoring from the project's
// navigation and sees the charts of spend, calls, error rate, cache hits and latency drawn from the
// stored calls, the jobs in flight and the failures section; switching the split to providers redraws
// them. Screenshots of both views; axe finds no serious or critical violation. An editor gets neither
// the link nor the page.
import AxeBuilder from "@axe-core/playwright";
import { capture, createUser, expect, type Page, signIn, test } from "./fixtures";

/** Serious and critical accessibility violations on the page (axe-core). */
async function blockingViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

test("the monitoring page charts the stored calls of the seeded run and a batch, by model and by provider", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const datasets = await (await page.request.get("/api/v1/projects/default/datasets")).json();
  // The seeded run's dataset (the CLI names it after its file).
  const names = datasets.items.map((d: { name: string }) => d.name);
  const reviews = datasets.items.find((d: { name: string }) => d.name.startsWith("reviews"));
  expect(reviews, `datasets: ${names.join(", ")}`).toBeDefined();
  const started = await page.request.post("/api/v1/projects/default/batches", {
    data: {
      task: "sentiment",
      datasetVersionId: reviews.latestVersion.id,
      model: "sim:default",
      chunkSize: 60,
    },
  });
  expect(started.status(), await started.text()).toBe(202);
  const { id } = await started.json();
  await expect
    .poll(
      async () => (await (await page.request.get(`/api/v1/projects/default/batches/${id}`)).json()).status,
      {
        timeout: 60_000,
      },
    )
    .toBe("succeeded");

  await page.goto("/projects/default");
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Monitoring" }).click();
  await expect(page).toHaveURL(/\/projects\/default\/monitoring$/);
  await expect(page.getByRole("heading", { level: 1, name: "Monitoring" })).toBeVisible();
  const calls = page.getByRole("region", { name: "Model calls" });
  for (const title of [
    "Spend",
    "Calls",
    "Error rate",
    "Cache hit rate",
    "Latency, median (p50)",
    "Latency, p95",
  ])
    await expect(calls.getByRole("heading", { level: 3, name: title })).toBeVisible();
  // The batch's rows and the run's results are both drawn (sim models: at least one series).
  await expect(calls.getByRole("list", { name: "Chart colours" })).toContainText("sim:");
  const bars = calls.getByTestId("chart-calls").locator("[data-chart-bar]");
  expect(await bars.count()).toBeGreaterThan(0);
  await expect(calls.getByTestId("chart-latency-p50").locator("circle").first()).toBeAttached();
  await expect(calls.getByRole("img", { name: /^Calls: [\d,]+ in total over 7 days/ })).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Jobs in flight" }).getByTestId("job-activity"),
  ).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent failures" })).toBeVisible();
  expect(await blockingViolations(page)).toEqual([]);
  await capture(page, "monitoring");

  await page.getByLabel("Split by").selectOption("provider");
  await page.getByLabel("Period").selectOption("24h");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/range=24h&split=provider/);
  await expect(calls.getByRole("list", { name: "Chart colours" }).getByRole("listitem").first()).toHaveText(
    "sim",
  );
  await expect(calls.getByRole("img", { name: /^Calls: [\d,]+ in total over 24 hours/ })).toBeVisible();
  await capture(page, "monitoring-by-provider");
});

test("editors see no Monitoring link, and the page tells them it needs the admin role", async ({
  page,
  browser,
}) => {
  const editor = await createUser(page.request, "editor");
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const editorPage = await context.newPage();
  await signIn(editorPage, editor.email, editor.password);
  await editorPage.goto("/projects/default");
  const nav = editorPage.getByRole("navigation", { name: "Project" });
  await expect(nav.getByRole("link", { name: "Runs" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Monitoring" })).toHaveCount(0);
  await editorPage.goto("/projects/default/monitoring");
  await expect(editorPage.getByRole("heading", { level: 1, name: "Monitoring" })).toBeVisible();
  await expect(editorPage.getByText("You cannot see this page")).toBeVisible();
  await expect(editorPage.getByRole("region", { name: "Model calls" })).toHaveCount(0);
  await context.close();
});
