// Batches in the browser. The owner starts a batch of the seeded sentiment task over the seeded reviews
// dataset (240 rows) with the offline simulator, throttled by a model configuration's rate limit so the
// run takes a few seconds: the progress bar advances through server-sent events without a reload, the
// batch finishes, its rows page and filter, and the JSONL download has one line per row. Then a small
// JSONL file with a malformed line is uploaded with the policy "skip": the batch runs the good rows and
// the page reports the skipped one.
import { readFileSync } from "node:fs";
import path from "node:path";
import { capture, expect, test, unique } from "./fixtures";

const ROWS = 240;

test("a batch over the seeded dataset shows live progress, rows and a JSONL download; a malformed upload row is skipped and reported", async ({
  page,
}) => {
  test.setTimeout(150_000);
  // A model configuration of the simulator limited to 30 calls a second: ~8 s for the 240 rows (the
  // simulator's answers are never cached, so every row waits for the limiter).
  const modelName = unique("sim-throttled").slice(0, 60);
  const created = await page.request.post("/api/v1/projects/default/model-configs", {
    data: {
      name: modelName,
      model: "sim:default",
      concurrency: 4,
      rateLimit: { requestsPerMinute: 1800 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const datasets = await (await page.request.get("/api/v1/projects/default/datasets")).json();
  const reviews = datasets.items.find((d: { name: string }) => d.name === "reviews");
  expect(reviews?.latestVersion?.rowCount).toBe(ROWS);

  await page.goto("/projects/default/batches");
  await expect(page.getByRole("heading", { level: 1, name: "Batches" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Batches" }),
  ).toHaveAttribute("aria-current", "page");
  const form = page.getByRole("form", { name: "Start a batch" });
  await form.getByLabel("Task").selectOption("sentiment");
  await expect(form.getByLabel("Prompt version")).toHaveValue("");
  await form.getByLabel("A dataset version").check();
  await form.getByLabel("Dataset version", { exact: true }).selectOption(reviews.latestVersion.id);
  await form.getByLabel("Model", { exact: true }).selectOption(modelName);
  await form.getByLabel("Chunk size").fill("10");
  await form.getByRole("button", { name: "Start batch" }).click();

  await expect(page).toHaveURL(/\/projects\/default\/batches\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Batch of sentiment" })).toBeVisible();
  const bar = page.getByRole("progressbar", { name: "Batch progress" });
  await expect(bar).toHaveAttribute("aria-valuemax", String(ROWS));

  // Record every value the bar takes, and mark the document: a reload would lose the mark.
  await page.evaluate(() => {
    const w = window as unknown as { __batchMark: string; __seen: number[] };
    w.__batchMark = "same document";
    w.__seen = [];
    const el = document.querySelector('[role="progressbar"][aria-label="Batch progress"]')!;
    const note = () => w.__seen.push(Number(el.getAttribute("aria-valuenow")));
    note();
    new MutationObserver(note).observe(el, { attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  // It moves while running...
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __seen: number[] }).__seen.length), {
      timeout: 30_000,
    })
    .toBeGreaterThanOrEqual(2);
  const progress = page.getByRole("region", { name: "Progress" });
  await expect(progress.getByText("Live")).toBeVisible();
  await expect(progress.getByRole("button", { name: "Cancel batch" })).toBeVisible();
  // A screenshot while it runs (capture() waits for the network to go quiet: the end of the stream).
  await page.screenshot({
    path: path.join(import.meta.dirname, "screenshots", "batch-running-1280x800.png"),
  });
  // ...and finishes.
  await expect(progress.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 60_000 });
  await expect(progress.getByText(`${ROWS} of ${ROWS} rows done`)).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuenow", String(ROWS));
  await expect(progress.getByRole("button", { name: "Cancel batch" })).toHaveCount(0);
  const seen = await page.evaluate(() => (window as unknown as { __seen: number[] }).__seen);
  const mark = await page.evaluate(() => (window as unknown as { __batchMark?: string }).__batchMark);
  expect(mark, "the page was not reloaded").toBe("same document");
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  expect(
    seen.some((v) => v > 0 && v < ROWS),
    `intermediate progress seen: ${seen.join(", ")}`,
  ).toBe(true);
  expect(seen.at(-1)).toBe(ROWS);
  // The server parts follow the end (router.refresh): finished time.
  const details = page.getByRole("region", { name: "Details" });
  await expect(
    details
      .locator("div")
      .filter({ hasText: /^Finished/ })
      .locator("time"),
  ).toBeVisible();

  // Rows: 25 a page, filters.
  const rows = page.getByRole("region", { name: "Rows" });
  const body = rows.locator("tbody tr");
  const pager = rows.getByRole("navigation", { name: "Row pages" });
  await expect(pager.getByText(`Rows 1–25 of ${ROWS}`)).toBeVisible();
  await expect(body).toHaveCount(25);
  await expect(body.first()).toContainText("s001");
  await expect(body.first().locator("td").nth(3)).toHaveText(/\S/);
  await capture(page, "batch");
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager.getByText(`Rows 26–50 of ${ROWS}`)).toBeVisible();
  await expect(body.first()).toContainText("s026");
  await rows.getByRole("button", { name: "Failed" }).click();
  await expect(rows.getByText("No failed rows.")).toBeVisible();
  await rows.getByRole("button", { name: "Done" }).click();
  await expect(rows.getByRole("button", { name: "Done" })).toHaveAttribute("aria-pressed", "true");
  await expect(body).toHaveCount(25);
  await expect(pager.getByText("Rows 1–25")).toBeVisible();

  // The JSONL download: one object per row, in row order.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    rows.getByRole("link", { name: "JSONL" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
  const lines = readFileSync((await download.path())!, "utf8")
    .trimEnd()
    .split("\n");
  expect(lines).toHaveLength(ROWS);
  const first = JSON.parse(lines[0]!);
  expect(JSON.stringify(first)).toContain("s001");
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

  // An uploaded JSONL file whose third line is not JSON, with the policy "skip".
  await page.goto("/projects/default/batches");
  const upload = page.getByRole("form", { name: "Start a batch" });
  await upload.getByLabel("Task").selectOption("sentiment");
  await upload.getByLabel("A file (CSV or JSONL)").check();
  await upload.getByLabel("File", { exact: true }).setInputFiles({
    name: "to-label.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(
      [
        '{"text":"The battery lasts two full days. Love it!"}',
        '{"text":"Broke after a week, what a waste."}',
        '{"text": "this line is cut off',
        '{"text":"It is okay, nothing special."}',
      ].join("\n"),
      "utf8",
    ),
  });
  // The offline simulator is offered as it is in the run form.
  await upload
    .getByLabel("Model", { exact: true })
    .selectOption({ label: "sim:default (offline simulator)" });
  await upload.getByLabel("Malformed rows").selectOption("skip");
  await upload.getByRole("button", { name: "Start batch" }).click();

  await expect(page).toHaveURL(/\/projects\/default\/batches\/[^/?]+$/);
  const uploaded = page.getByRole("region", { name: "Progress" });
  await expect(uploaded.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 30_000 });
  await expect(uploaded.getByText("3 of 3 rows done")).toBeVisible();
  await expect(uploaded.getByText("1 skipped")).toBeVisible();
  const skipped = page.getByRole("region", { name: "Skipped rows" });
  await expect(skipped).toContainText("1 malformed row was left out");
  const issue = skipped.getByRole("row").filter({ has: page.getByRole("cell", { name: "3", exact: true }) });
  await expect(issue).toHaveCount(1);
  await expect(issue.getByRole("cell").nth(1)).toHaveText(/\S/);
  await expect(page.getByRole("region", { name: "Details" })).toContainText("to-label.jsonl");
  await capture(page, "batch-upload");

  // The list shows both, finished.
  await page.getByRole("main").getByRole("link", { name: "Batches", exact: true }).click();
  const listed = page.getByRole("table", { name: "Batches of this project, newest first" });
  await expect(listed.getByRole("row").nth(1)).toContainText("to-label.jsonl");
  await expect(listed.getByRole("row").nth(1).locator('[data-status="succeeded"]')).toBeVisible();
  await expect(listed.getByRole("row").nth(2)).toContainText(`${ROWS} / ${ROWS}`);
  await capture(page, "batches");
});
