// The prompts pages on the CLI's task (seeded by e2e/server.mjs: version 1 from the task file, version
// 2 saved by the optimization run): the task list, a version's content, and the side-by-side diff.
import { capture, expect, test } from "./fixtures";

test("prompts: the task list, a version with its content and run, and the diff of two versions", async ({
  page,
}) => {
  await page.goto("/projects/default/prompts");
  await expect(page.getByRole("heading", { level: 1, name: "Prompts" })).toBeVisible();
  const row = page.getByRole("row", { name: /sentiment/ });
  await expect(row).toContainText("v2");
  await expect(row).toContainText("optimization");
  await capture(page, "prompts");

  await row.getByRole("link", { name: "sentiment" }).click();
  await expect(page).toHaveURL(/\/prompts\/sentiment$/);
  await expect(page.getByRole("heading", { level: 2, name: "Version 2" })).toBeVisible();
  const versions = page.getByRole("navigation", { name: "Versions" });
  await expect(versions.getByRole("link")).toHaveCount(2);
  await expect(versions.getByRole("link", { name: /Version 2/ })).toHaveAttribute("aria-current", "page");
  const content = page.locator("#prompt-version-heading").locator("..");
  await expect(content.getByText("{{text}}").first()).toBeVisible();
  await expect(content.getByRole("link", { name: /^run / })).toBeVisible();
  await capture(page, "prompt-version");

  await versions.getByRole("link", { name: /Version 1/ }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Version 1" })).toBeVisible();
  await expect(content.getByText("a task file")).toBeVisible();

  // Pick versions 1 → 2 and compare.
  await page.getByLabel("From (older)").selectOption("1");
  await page.getByLabel("To (newer)").selectOption("2");
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(/\/prompts\/sentiment\/diff\?from=1&to=2$/);
  await expect(page.getByRole("heading", { level: 1, name: "Compare versions of sentiment" })).toBeVisible();
  const system = page.getByRole("region", { name: "System prompt" });
  await expect(system.getByRole("columnheader", { name: "Version 1", exact: true })).toBeVisible();
  await expect(system.getByRole("columnheader", { name: "Version 2", exact: true })).toBeVisible();
  // Added lines carry a "+" sign and an <ins> read as "added: …", not just a colour.
  const added = system.locator("ins");
  expect(await added.count()).toBeGreaterThan(0);
  await expect(added.first()).toContainText("added:");
  await expect(system.locator('td[data-change="added"]').first()).toContainText("+");
  await expect(page.getByTestId("diff-systemPrompt-summary")).toContainText(/\+\d+ added/);
  await capture(page, "prompt-diff");

  // Swapped, the same lines show as removed.
  await page.goto("/projects/default/prompts/sentiment/diff?from=2&to=1");
  await expect(system.locator("del").first()).toContainText("removed:");

  // The API behind it, with the same session.
  const diff = await page.request.get("/api/v1/projects/default/prompts/sentiment/diff?from=1&to=2");
  expect(diff.status()).toBe(200);
  const body = await diff.json();
  expect(body.identical).toBe(false);
  expect(body.fields.find((f: { field: string }) => f.field === "systemPrompt").added).toBeGreaterThan(0);
});
