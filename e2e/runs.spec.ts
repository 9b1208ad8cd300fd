// Runs in the browser, in the seeded project "sandbox" (task "sentiment", its dataset of reviews, from
// e2e/server.mjs; other specs read "default" as the CLI left it) on the offline simulator: start a run
// from the form (a bad K is named next to its field first), follow it live without reloading (progress
// bar, steps, chart points from the server-sent events), read the per-example results with their
// filters and downloads, save the winner as a prompt version and find it on the prompts page; find the
// run in the filtered runs list with its model, and compare it with another run. A second run is
// cancelled from its page, which then shows what it did (on a phone too). Any console error fails a
// test (./fixtures), a hydration mismatch of the run page among them.
import { capture, expect, type Page, test, unique } from "./fixtures";

/** Marks the current document; a reload or navigation loses the mark. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __stropDocument?: string }).__stropDocument = "unchanged";
  });
}

async function documentUnchanged(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (window as unknown as { __stropDocument?: string }).__stropDocument === "unchanged",
  );
}

test("runs: start a run in the browser, follow it live, read its results and save the winner", async ({
  page,
}) => {
  test.setTimeout(240_000);
  // The simulator answers at once; a model configuration of it held to 50 calls a second by its rate
  // limit (as a real provider would be) makes the run take ~20–30 s, so its progress can be watched.
  const paced = unique("sim-paced").slice(0, 60);
  const created = await page.request.post("/api/v1/projects/sandbox/model-configs", {
    data: { name: paced, model: "sim:paced", concurrency: 4, rateLimit: { requestsPerMinute: 3000 } },
  });
  expect(created.status(), await created.text()).toBe(201);

  // The form, reached from the runs list.
  await page.goto("/projects/sandbox/runs");
  await page.getByRole("link", { name: "Start a run" }).click();
  await expect(page).toHaveURL(/\/projects\/sandbox\/runs\/new$/);
  await expect(page.getByRole("heading", { level: 1, name: "Start a run" })).toBeVisible();
  const form = page.getByRole("form", { name: "Start a run" });
  await expect(form).toContainText("Runs execute on the embedded runner");
  await form.getByLabel("Task", { exact: true }).selectOption("sentiment");
  await form.getByLabel("Start from prompt version").selectOption("1");
  const dataset = form.getByLabel("Dataset version");
  const reviews = await dataset.locator("option", { hasText: /^reviews(\.csv)? v1 / }).getAttribute("value");
  await dataset.selectOption(reviews as string);
  await form.getByLabel("Task model", { exact: true }).selectOption(`config:${paced}`);
  await form.getByLabel("Optimizer model", { exact: true }).selectOption("id:sim:default");
  await expect(form.getByRole("checkbox", { name: /^exact_match/ })).toBeChecked();
  await form.getByLabel("Strategy").selectOption("critique-rewrite");
  await form.getByLabel("Max iterations").fill("2");
  await form.getByText("Splits, seed and cache").click();
  await form.getByLabel("Seed").fill("7");
  // No answer from the response cache of the seeded CLI run: every call goes through the rate limit.
  await form.getByLabel("Response cache").uncheck();

  // K above the limit of 16: a 400 naming optimizer.candidates, shown next to the field; nothing queued.
  await form.getByLabel("Candidates per iteration (K)").fill("17");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByRole("alert")).toContainText(/candidates.*at most 16/i);
  const k = form.getByLabel("Candidates per iteration (K)");
  await expect(k).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#run-candidates-error")).toBeVisible();
  await expect(page).toHaveURL(/\/runs\/new$/);
  await capture(page, "run-new");

  await k.fill("2");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/projects\/sandbox\/runs\/(?!new)[^/]+$/);
  const runUrl = page.url();
  const runId = runUrl.split("/").at(-1) as string;

  // Live: the page keeps its document while the progress bar advances and the chart fills.
  await markDocument(page);
  const live = page.getByTestId("live-run");
  await expect(live).toBeVisible();
  await expect(live).toContainText("Runner: embedded");
  const overall = page.getByRole("progressbar", { name: "Overall progress" });
  const progress = async () => Number(await overall.getAttribute("aria-valuenow"));
  const first = await progress();
  await expect.poll(progress, { timeout: 60_000 }).toBeGreaterThan(first);
  const second = await progress();
  expect(second).toBeLessThan(100);
  await expect(page.getByRole("progressbar", { name: /^Current step: / })).toBeVisible();
  await expect(
    page.getByRole("list", { name: "Steps of the current iteration" }).getByRole("listitem"),
  ).toHaveCount(5);
  await expect(live.locator('[aria-current="step"]')).toHaveCount(1);
  await expect(live.getByRole("button", { name: "Cancel run" })).toBeVisible();
  const chart = page.getByTestId("score-chart");
  await expect
    .poll(() => chart.locator("[data-chart-point]").count(), { timeout: 90_000 })
    .toBeGreaterThan(0);
  await capture(page, "run-live");
  await expect.poll(progress, { timeout: 60_000 }).toBeGreaterThan(second);
  expect(page.url()).toBe(runUrl);
  expect(await documentUnchanged(page)).toBe(true);

  // The end: status, full bar, and the sections the server renders (report, winner and its diff).
  await expect(live).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(overall).toHaveAttribute("aria-valuenow", "100");
  expect(page.url()).toBe(runUrl);
  expect(await documentUnchanged(page)).toBe(true);
  await expect(live.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  const report = page.getByRole("region", { name: "Report" });
  await expect(report).toContainText(/Gain [+−]\d+\.\d pts/, { timeout: 20_000 });
  await expect(page.locator('main [data-status="succeeded"]').first()).toBeVisible();
  const points = await chart.locator('[data-chart-point="incumbent"]').count();
  expect(points).toBeGreaterThanOrEqual(1);
  expect(points).toBeLessThanOrEqual(2);
  expect(await chart.locator('[data-chart-point="candidate"]').count()).toBeGreaterThan(0);
  const winner = page.getByRole("region", { name: "Winner" });
  await expect(winner).toContainText("is not saved as a prompt version yet");
  await expect(winner.getByRole("columnheader", { name: "Version 1 (baseline)" }).first()).toBeVisible();
  await expect(winner.getByRole("columnheader", { name: "Winner (not saved)" }).first()).toBeVisible();
  expect(await winner.locator("ins").count()).toBeGreaterThan(0);
  await capture(page, "run-live-finished");

  // Results: every example of the held-out split, page by page, filtered and downloadable.
  await report.getByRole("link", { name: /Per-example results/ }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}/results$`));
  await expect(page.getByRole("heading", { level: 1, name: "Results of sentiment" })).toBeVisible();
  const examples = page.getByRole("region", { name: "Examples" });
  const rows = examples.locator("tbody tr");
  await expect(rows).toHaveCount(25);
  await examples.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  expect(await rows.count()).toBeGreaterThan(0);
  const filters = examples.getByRole("navigation", { name: "Filter results" });
  await filters.getByRole("link", { name: "Improved" }).click();
  await expect(page).toHaveURL(/view=improved$/);
  await expect(filters.getByRole("link", { name: "Improved" })).toHaveAttribute("aria-current", "page");
  const improved = await examples.locator("tbody [data-change]").allTextContents();
  expect(improved.length).toBeGreaterThan(0);
  for (const text of improved) expect(text).toContain("improved");
  await capture(page, "run-results");
  await filters.getByRole("link", { name: "Regressed" }).click();
  await expect(page).toHaveURL(/view=regressed$/);
  const regressed = await examples.locator("tbody [data-change]").allTextContents();
  for (const text of regressed) expect(text).toContain("regressed");
  if (regressed.length === 0) await expect(examples).toContainText("No examples in this view");
  const csvHref = await examples.getByRole("link", { name: "Download CSV" }).getAttribute("href");
  expect(csvHref).toContain("view=regressed");
  const csv = await page.request.get((csvHref as string).replace("view=regressed", "view=all"));
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toMatch(/^row,key,input\.text,expected,baseline_output/);
  expect(lines.length).toBe(61);
  const jsonlHref = await examples.getByRole("link", { name: "Download JSONL" }).getAttribute("href");
  const jsonl = await page.request.get(jsonlHref as string);
  expect(jsonl.status()).toBe(200);
  expect((await jsonl.text()).trim().split("\n").filter(Boolean)).toHaveLength(regressed.length);

  // Save the winner: a new prompt version of sentiment, linked from the run and on the prompts page.
  await page.goto(runUrl);
  const save = page.getByRole("region", { name: "Winner" });
  await save.getByRole("button", { name: "Save winner as new prompt version" }).click();
  const savedLink = save.getByRole("link", { name: /^version \d+( of sentiment)?$/ }).first();
  await expect(savedLink).toBeVisible();
  const href = (await savedLink.getAttribute("href")) as string;
  const version = Number(/version=(\d+)/.exec(href)?.[1]);
  expect(version).toBeGreaterThanOrEqual(2);
  await expect(save.getByRole("button", { name: "Save winner as new prompt version" })).toHaveCount(0);
  await savedLink.click();
  await expect(page).toHaveURL(new RegExp(`/prompts/sentiment\\?version=${version}$`));
  await expect(page.getByRole("heading", { level: 2, name: `Version ${version}` })).toBeVisible();
  await expect(
    page
      .getByRole("navigation", { name: "Versions" })
      .getByRole("link", { name: new RegExp(`Version ${version}`) }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: new RegExp(`^run ${runId.slice(0, 10)}`) }).first(),
  ).toBeVisible();
  await capture(page, "run-winner-version");
  // Saving again is refused (409) and names the version it is.
  const again = await page.request.post(`/api/v1/projects/sandbox/runs/${runId}/winner`);
  expect(again.status()).toBe(409);

  // The runs list: filtered by status, kind and task; the model column; two runs compared.
  await page.goto("/projects/sandbox/runs");
  const runFilters = page.getByRole("form", { name: "Filter runs" });
  await runFilters.getByLabel("Status").selectOption("succeeded");
  await runFilters.getByLabel("Kind").selectOption("optimize");
  await runFilters.getByLabel("Task").selectOption("sentiment");
  await runFilters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=succeeded&kind=optimize&task=sentiment/);
  const ours = page.locator(`tr[data-run-id="${runId}"]`);
  await expect(ours).toContainText("sim:paced · optimizer sim:default");
  for (const status of await page
    .locator("tbody tr [data-status]")
    .evaluateAll((els) => els.map((el) => el.getAttribute("data-status"))))
    expect(status).toBe("succeeded");
  await runFilters.getByLabel("Kind").selectOption("eval");
  await runFilters.getByRole("button", { name: "Filter" }).click();
  await expect(page.locator(`tr[data-run-id="${runId}"]`)).toHaveCount(0);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  const boxes = page.getByRole("checkbox", { name: /^Compare the run of / });
  expect(await boxes.count()).toBeGreaterThanOrEqual(2);
  await page.locator(`tr[data-run-id="${runId}"]`).getByRole("checkbox").check();
  const other = page.locator(`tbody tr:not([data-run-id="${runId}"])`).first();
  const otherId = (await other.getAttribute("data-run-id")) as string;
  await other.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Compare selected runs" }).click();
  await expect(page).toHaveURL(/\/runs\/compare\?ids=/);
  await expect(page.getByRole("heading", { level: 1, name: "Compare runs" })).toBeVisible();
  const table = page.getByTestId("run-comparison");
  await expect(table.getByRole("columnheader")).toHaveCount(3);
  for (const id of [runId, otherId])
    await expect(table.getByRole("columnheader").filter({ hasText: id.slice(0, 10) })).toHaveCount(1);
  for (const row of ["Task model", "Final (test)", "Gain", "Cost", "Final prompt"])
    await expect(table.getByRole("rowheader", { name: row })).toBeVisible();
  await capture(page, "runs-compare");
});

test("@phone runs: cancel a running run from its page, which then shows what it did", async ({ page }) => {
  test.setTimeout(120_000);
  // Slow enough to still be running when the button is pressed: 5 calls a second.
  const slow = unique("sim-slow").slice(0, 60);
  const created = await page.request.post("/api/v1/projects/sandbox/model-configs", {
    data: { name: slow, model: "sim:slow", concurrency: 1, rateLimit: { requestsPerMinute: 300 } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const datasets = await (await page.request.get("/api/v1/projects/sandbox/datasets")).json();
  const reviews = datasets.items.find((d: { name: string }) => /^reviews(\.csv)?$/.test(d.name));
  const started = await page.request.post("/api/v1/projects/sandbox/runs", {
    data: {
      task: "sentiment",
      promptVersion: 1,
      datasetVersionId: reviews.latestVersion.id,
      models: { task: slow, optimizer: "sim:default" },
      metrics: ["exact_match"],
      cache: { enabled: false },
    },
  });
  expect(started.status(), await started.text()).toBe(202);
  const { id } = await started.json();

  await page.goto(`/projects/sandbox/runs/${id}`);
  const live = page.getByTestId("live-run");
  await expect(live).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  page.once("dialog", (dialog) => dialog.accept());
  await live.getByRole("button", { name: "Cancel run" }).click();
  await expect(live).toHaveAttribute("data-status", "cancelled", { timeout: 30_000 });
  await expect(page.locator("main h1 + p [data-status]").first()).toHaveAttribute(
    "data-status",
    "cancelled",
    {
      timeout: 30_000,
    },
  );
  const detail = await (await page.request.get(`/api/v1/projects/sandbox/runs/${id}`)).json();
  expect(detail.status).toBe("cancelled");

  // What the run did, live and after a reload: where it stopped, no step "(next)", no pending report.
  for (const when of ["live", "reloaded"]) {
    if (when === "reloaded") await page.reload();
    const progress = page.getByRole("region", { name: "Progress" });
    await expect(progress.getByTestId("run-ended-early")).toContainText(
      /^The run was cancelled (during iteration \d+, at step \d|before its first step)/,
    );
    await expect(progress.getByRole("list", { name: "Steps of the last iteration" })).toBeVisible();
    await expect(progress).not.toContainText("(next)");
    await expect(
      progress.locator('[data-step-state="stopped"], [data-step-state="skipped"]').first(),
    ).toBeVisible();
    await expect(page.getByRole("region", { name: "Report" })).toContainText(
      "No report: the run was cancelled before its held-out test",
    );
    await expect(page.getByRole("region", { name: "Summary" })).toContainText(
      "none: the run was cancelled before choosing one",
    );
    await expect(page.getByRole("region", { name: "Summary" })).not.toContainText("not yet");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "the cancelled run's page scrolls sideways").toBeLessThanOrEqual(0);
  }
  // A finished run cannot be cancelled again into another state.
  const again = await page.request.post(`/api/v1/projects/sandbox/runs/${id}/cancel`);
  expect(again.status()).toBe(200);
  expect((await again.json()).status).toBe("cancelled");
});
