// The template library in the browser: a new project starts from a template (search and filter the
// library, read a template, "Use this template"), lands on the new task's page and starts its first
// optimization there with the dataset and metric configuration the template created (sim:default, no
// credentials); then a version is saved as a project template, exported as YAML and imported back.
// Runs at laptop size and, titled "@phone", at 390×844.
import type { Page } from "./fixtures";
import { capture, createProject, expect, test } from "./fixtures";

/** Laptop runs keep the shared screenshots (two widths); the phone run saves one of its own. */
async function shot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 1280;
  if (width >= 1024) return capture(page, name);
  await page.waitForLoadState("networkidle");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `e2e/screenshots/${name}-phone.png`, fullPage: true });
}

test("a new project goes from the template library to a first optimization @phone", async ({ page }) => {
  test.setTimeout(240_000);
  const project = await createProject(page.request, "Templates");

  // The empty project's first step leads to the library.
  await page.goto(`/projects/${project}`);
  await page.getByRole("link", { name: "Start from a template" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/templates$`));
  await expect(page.getByRole("heading", { level: 1, name: "Templates" })).toBeVisible();
  const library = page.getByRole("list", { name: "Template library" });
  await expect(library.getByRole("listitem").first()).toBeVisible();
  const all = await library.getByRole("listitem").count();
  await shot(page, "templates-library");

  // Filter by category and metric: only classification templates scored by exact_match remain.
  const search = page.getByRole("form", { name: "Search templates" });
  await search.getByLabel("Category").selectOption("classification");
  await search.getByLabel("Metric").selectOption("exact_match");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/category=classification/);
  const cards = library.getByRole("listitem");
  await expect(cards.first()).toContainText("Classification");
  const filtered = await cards.count();
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(all);
  for (let i = 0; i < filtered; i++) await expect(cards.nth(i)).toContainText("exact_match");

  // Words that match nothing: the empty state says how to get out of it.
  await search.getByLabel("Search").fill("zzz-no-such-template");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("No template matches")).toBeVisible();
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(library.getByRole("listitem")).toHaveCount(all);

  // A template's page: notes, prompt, variables, metrics, example rows.
  await search.getByLabel("Category").selectOption("classification");
  await search.getByLabel("Metric").selectOption("exact_match");
  await search.getByRole("button", { name: "Search" }).click();
  const first = cards.first().getByRole("heading").getByRole("link");
  const templateName = (await first.textContent())?.trim() ?? "";
  await first.click();
  await expect(page.getByRole("heading", { level: 1, name: templateName })).toBeVisible();
  const slug = page.url().split("/").at(-1) as string;
  await expect(page.getByRole("region", { name: "Prompt" })).toContainText("Output prompt");
  await expect(page.getByRole("region", { name: "Suggested metrics" })).toContainText("exact_match");
  const rows = page.getByRole("region", { name: "Example rows" });
  await expect(rows.getByRole("row")).toHaveCount(21);
  await expect(page.getByRole("link", { name: "Export YAML" })).toHaveAttribute(
    "href",
    new RegExp(`/templates/${slug}/export$`),
  );
  await shot(page, "templates-detail");

  // Use it: the task's page, version 1 written from the template.
  await page.getByRole("button", { name: "Use this template" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/prompts/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: slug })).toBeVisible();
  await expect(page.getByText(`From template ${templateName}`).first()).toBeVisible();
  await shot(page, "templates-used-task");

  // Optimize from there: the run form has the task, version 1 and the template's dataset chosen.
  await page.getByRole("link", { name: "Optimize", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/new\\?task=${slug}&version=1`));
  const form = page.getByRole("form", { name: "Start a run" });
  await expect(form.getByLabel("Task", { exact: true })).toHaveValue(slug);
  await expect(form.getByLabel("Dataset version").locator("option:checked")).toContainText(slug);
  await form.getByRole("checkbox", { name: new RegExp(`^${slug}\\.exact_match`) }).check();
  await form.getByRole("checkbox", { name: /^exact_match/ }).uncheck();
  await form.getByLabel("Max iterations").fill("1");
  await form.getByLabel("Candidates per iteration (K)").fill("1");
  await shot(page, "templates-first-run-form");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/runs/(?!new)[^/]+$`));
  // A run this small may finish before the page loads: the live view, or the finished page, says so.
  await expect(page.locator('main [data-status="succeeded"]').first()).toBeVisible({ timeout: 150_000 });
  await expect(page.getByRole("region", { name: "Report" })).toBeVisible({ timeout: 20_000 });
  await shot(page, "templates-first-run");
});

test("a prompt version saved as a template exports as YAML and imports back", async ({ page }) => {
  const project = await createProject(page.request, "Template files");
  const library = await page.request.get(`/api/v1/projects/${project}/templates`);
  const [source] = (await library.json()).items as { slug: string }[];
  const used = await page.request.post(`/api/v1/projects/${project}/templates/${source!.slug}/use`);
  expect(used.status(), await used.text()).toBe(201);
  const { task } = await used.json();

  // Save version 1 as a project template, with the rows of the template's dataset.
  await page.goto(`/projects/${project}/prompts/${task.name}`);
  await page.getByRole("button", { name: "Save as template…" }).click();
  const form = page.getByRole("form", { name: "Save version 1 as a template" });
  await form.getByLabel("Slug").fill("our-version");
  await form.getByLabel("Name").fill("Our version");
  await form.getByLabel("Description").fill("Version 1 as our team uses it.");
  await form.getByLabel("Example rows").selectOption(task.name);
  await form.getByRole("button", { name: "Save template" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}/templates/our-version$`));
  await expect(page.getByRole("heading", { level: 1, name: "Our version" })).toBeVisible();
  await expect(page.getByText("saved in this project")).toBeVisible();

  // Export it, then import the file into another project.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export YAML" }).click();
  const file = await (await download).path();
  expect((await download).suggestedFilename()).toBe("our-version.yaml");
  const other = await createProject(page.request, "Template import");
  await page.goto(`/projects/${other}/templates`);
  const importForm = page.getByRole("form", { name: "Import a template" });
  await importForm.getByLabel("Template file (.yaml)").setInputFiles(file);
  await importForm.getByRole("button", { name: "Import template" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${other}/templates/our-version$`));
  await expect(page.getByRole("region", { name: "Example rows" })).toContainText("rows");

  // The same file again: refused, naming the slug.
  await page.goto(`/projects/${other}/templates`);
  await expect(page.getByRole("list", { name: "This project's templates" })).toContainText("Our version");
  await importForm.getByLabel("Template file (.yaml)").setInputFiles(file);
  await importForm.getByRole("button", { name: "Import template" }).click();
  await expect(importForm.getByRole("alert")).toContainText('"our-version"');
  await shot(page, "templates-import-refused");
});
