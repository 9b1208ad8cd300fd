// Comparing search strategies from the browser: the run form starts one run per strategy on the same
// spec and budget and lands on the comparison, whose chart shows each run's held-out score against its
// spend once the runs finish.
import { capture, expect, test } from "./fixtures";

test("@phone compare two strategies from the run form: both run, the chart shows score against spend", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/projects/sandbox/runs/new");
  const form = page.getByRole("form", { name: "Start a run" });
  await form.getByLabel("Task", { exact: true }).selectOption("sentiment");
  const dataset = form.getByLabel("Dataset version");
  const reviews = await dataset.locator("option", { hasText: /^reviews(\.csv)? v1 / }).getAttribute("value");
  await dataset.selectOption(reviews as string);
  await form.getByLabel("Task model", { exact: true }).selectOption("id:sim:default");
  await form.getByLabel("Optimizer model", { exact: true }).selectOption("id:sim:default");
  await form.getByLabel("Strategy").selectOption("critique-rewrite");
  await form.getByLabel("Max iterations").fill("2");
  await form.getByRole("checkbox", { name: "successive-halving" }).check();
  await form.getByRole("button", { name: "Start run" }).click();

  await expect(page).toHaveURL(/\/projects\/sandbox\/runs\/compare\?ids=[^,]+,[^,]+$/);
  // The page follows the runs until both have a held-out score: one point each on the chart.
  const chart = page.getByRole("img", { name: /Held-out score against/ });
  await expect(chart.locator("[data-point]")).toHaveCount(2, { timeout: 120_000 });
  await expect(chart.locator('[data-point="critique-rewrite"]')).toBeVisible();
  await expect(chart.locator('[data-point="successive-halving"]')).toBeVisible();
  await expect(page.getByRole("cell", { name: /successive-halving, K = / })).toBeVisible();
  await capture(page, "strategy-compare");
});
