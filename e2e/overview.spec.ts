// The overview of the CLI's project shows the seeded run; the run list and the run page show its
// iterations, candidates and the held-out report.
import { capture, expect, test } from "./fixtures";

test("the overview shows the CLI run; the run page shows iterations, candidates and the report", async ({
  page,
}) => {
  await page.goto("/projects/default");
  await expect(page.getByRole("heading", { level: 1, name: "Default" })).toBeVisible();
  const runs = page.getByRole("region", { name: "Recent runs" });
  const run = runs.getByRole("row", { name: /sentiment/ });
  await expect(run).toHaveCount(1);
  await expect(run).toContainText("succeeded");
  await expect(run).toContainText("optimize");
  await expect(run).toContainText(/\d+\.\d% →.*\d+\.\d%/);
  await expect(page.getByRole("region", { name: "Prompt versions" })).toContainText("sentiment v2");
  await expect(page.getByRole("region", { name: "Datasets" })).toContainText("reviews");
  await capture(page, "overview");

  await page.getByRole("link", { name: "Runs", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await capture(page, "runs");
  await page
    .getByRole("row", { name: /sentiment/ })
    .getByRole("link")
    .click();

  await expect(page.getByRole("heading", { level: 1, name: "Optimization of sentiment" })).toBeVisible();
  const report = page.getByRole("region", { name: "Report" });
  await expect(report.getByRole("rowheader", { name: /Baseline/ })).toBeVisible();
  await expect(report.getByRole("rowheader", { name: /Final/ })).toBeVisible();
  await expect(report).toContainText(/\[\d+\.\d%, \d+\.\d%\]/);
  await expect(report).toContainText(/Gain [+−]\d+\.\d pts/);
  await expect(page.getByRole("region", { name: /Iterations \(\d+\)/ }).getByRole("row")).not.toHaveCount(0);
  const candidates = page.getByRole("region", { name: /Candidates \(\d+\)/ });
  await expect(candidates.getByText("accepted").first()).toBeVisible();
  await candidates.locator("summary").first().click();
  await expect(candidates.getByText("System prompt").first()).toBeVisible();
  await capture(page, "run-detail");

  // The best version links back to the prompts.
  await page.getByRole("region", { name: "Summary" }).getByRole("link", { name: "version 2" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Version 2" })).toBeVisible();
});
