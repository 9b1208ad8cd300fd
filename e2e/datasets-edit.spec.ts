// Datasets and project settings in the user's words (issue #12): an unsupported file names its type and
// what is supported; an oversize file is refused before a byte is sent; a row edited, added and deleted
// on the dataset page makes new versions (viewers see no controls); the project is renamed, archived
// (out of the list, no new datasets) and unarchived. Any console error fails a test, except the one
// refusal provoked on purpose.
import { rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createProject, createUser, expect, type Page, signIn, test } from "./fixtures";

let consoleErrors: string[] = [];
/** Answers a test provokes on purpose (their "Failed to load resource" lines are expected). */
let expectedRefusals: RegExp[] = [];

function watchConsole(page: Page) {
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    if (/Failed to load resource/.test(message.text()) && expectedRefusals.some((re) => re.test(where)))
      return;
    consoleErrors.push(`${page.url()}: ${message.text()} (${where})`);
  });
}

test.beforeEach(({ page }) => {
  consoleErrors = [];
  expectedRefusals = [];
  watchConsole(page);
});
test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

const CSV = "id,question,label\nq1,Is it open?,yes\nq2,Is it closed?,no\nq3,Is it late?,no\n";

async function uploadFaq(page: Page, slug: string): Promise<string> {
  const res = await page.request.post(
    `/api/v1/projects/${slug}/datasets?name=faq&filename=faq.csv&expected=label&id=id&inputs=question`,
    { data: Buffer.from(CSV), headers: { "content-type": "text/csv" } },
  );
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).dataset.id;
}

test("an unsupported file names its type; an oversize file is refused before upload", async ({ page }) => {
  const slug = await createProject(page.request, "Upload Checks");
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().includes("/datasets")) uploads.push(request.url());
  });
  await page.goto(`/projects/${slug}/datasets`);
  const file = page.getByLabel("File", { exact: true });
  await expect(page.getByText("CSV, JSONL or JSON, up to 50 MB")).toBeVisible();

  const unsupported =
    "“notes.txt” is a .txt file. Choose a CSV (.csv), JSONL (.jsonl or .ndjson) or JSON (.json) file.";
  await file.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello\n") });
  await expect(page.getByText(unsupported)).toBeVisible();
  await page.getByRole("button", { name: "Upload dataset" }).click();
  await expect(page.getByText(unsupported)).toBeVisible();
  await expect(page.getByText("Choose a file to upload.")).toHaveCount(0);

  // 52 MB against the server's 50 MB limit: refused at once, nothing sent (a sparse file: no 52 MB write).
  const big = path.join(tmpdir(), `strop-e2e-big-${Date.now()}.csv`);
  writeFileSync(big, "question,label\n");
  truncateSync(big, 52 * 1024 * 1024);
  try {
    await file.setInputFiles(big);
    const tooLarge = /is 52 MB: larger than the 50 MB limit\. Choose a smaller file, or split it\./;
    await expect(page.getByText(tooLarge)).toBeVisible();
    await page.getByRole("button", { name: "Upload dataset" }).click();
    await expect(page.getByText(tooLarge)).toBeVisible();
  } finally {
    rmSync(big, { force: true });
  }
  expect(uploads).toEqual([]);
});

test("a row edited, added and deleted makes new versions; viewers see no controls", async ({
  page,
  browser,
}) => {
  const slug = await createProject(page.request, "Row Editing");
  const id = await uploadFaq(page, slug);
  await page.goto(`/projects/${slug}/datasets/${id}`);
  const preview = page.getByRole("region", { name: /^Version \d+$/ });
  const versions = page.getByRole("table").first();

  // Edit row q2's expected value.
  await preview.getByRole("button", { name: "Edit row q2" }).click();
  const form = preview.getByRole("form", { name: "Edit row q2" });
  await expect(form.getByLabel("question")).toHaveValue("Is it closed?");
  await form.getByLabel("label (expected output)").fill("maybe");
  await form.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page).toHaveURL(/version=2/);
  await expect(page.getByRole("heading", { name: "Version 2" })).toBeVisible();
  await expect(versions.getByRole("row").filter({ hasText: "row q2 edited" })).toBeVisible();
  await expect(preview.getByRole("row").filter({ hasText: "q2" })).toContainText("maybe");

  // Add a row.
  await preview.getByText("Add a row").click();
  const add = preview.getByRole("form", { name: "Add a row" });
  await add.getByLabel("Id (id)").fill("q4");
  await add.getByLabel("question").fill("Is it free?");
  await add.getByLabel("label (expected output)").fill("yes");
  await add.getByRole("button", { name: "Add row as a new version" }).click();
  await expect(page).toHaveURL(/version=3/);
  await expect(preview.getByRole("row").filter({ hasText: "Is it free?" })).toBeVisible();

  // Delete a row, after confirming.
  await preview.getByRole("button", { name: "Delete row q1" }).click();
  await preview.getByRole("button", { name: "Delete row q1" }).click();
  await expect(page).toHaveURL(/version=4/);
  await expect(preview.getByRole("row").filter({ hasText: "Is it open?" })).toHaveCount(0);
  await expect(versions.getByRole("row").filter({ hasText: "row q1 deleted" })).toBeVisible();

  // A viewer reads the rows, and has no way to change them.
  const viewer = await createUser(page.request, "viewer", slug);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewerPage = await context.newPage();
  watchConsole(viewerPage);
  await signIn(viewerPage, viewer.email, viewer.password);
  await viewerPage.goto(`/projects/${slug}/datasets/${id}`);
  await expect(
    viewerPage.getByRole("region", { name: "Version 4" }).getByRole("row").filter({ hasText: "Is it free?" }),
  ).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: /^Edit row/ })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: /^Delete row/ })).toHaveCount(0);
  await expect(viewerPage.getByText("Add a row")).toHaveCount(0);
  await context.close();
});

test("the project is renamed and archived, then unarchived", async ({ page }) => {
  const slug = await createProject(page.request, "Rename Me");
  await page.goto(`/projects/${slug}/settings`);
  const section = page.getByRole("region", { name: "Project", exact: true });
  const name = section.getByLabel("Project name");

  // A blank name is refused next to the field, in plain words.
  expectedRefusals = [new RegExp(`/api/v1/projects/${slug}$`)];
  await name.fill(" ");
  await section.getByRole("button", { name: "Rename" }).click();
  await expect(section.getByText("enter a name")).toBeVisible();
  await expect(section.getByText("Fix the highlighted field and try again.")).toBeVisible();

  await name.fill("Renamed Project");
  await section.getByRole("button", { name: "Rename" }).click();
  await expect(section.getByText("Renamed to “Renamed Project”.")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/projects/${slug}/settings`));

  await section.getByRole("button", { name: "Archive project…" }).click();
  await section.getByRole("button", { name: "Archive", exact: true }).click();
  await expect(section.getByText(/^Archived/)).toBeVisible();

  // Out of the project list unless archived projects are shown; no new datasets while archived.
  await page.goto("/projects");
  await expect(page.getByRole("link", { name: "Renamed Project" })).toHaveCount(0);
  await page.getByRole("link", { name: "Show archived projects" }).click();
  const listed = page.getByRole("listitem").filter({ hasText: "Renamed Project" });
  await expect(listed).toContainText("Archived");
  await page.goto(`/projects/${slug}/datasets`);
  await expect(page.getByText(/This project is archived/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Upload dataset" })).toHaveCount(0);

  await page.goto(`/projects/${slug}/settings`);
  await section.getByRole("button", { name: "Unarchive project" }).click();
  await expect(section.getByRole("button", { name: "Archive project…" })).toBeVisible();
  await page.goto("/projects");
  await expect(page.getByRole("link", { name: "Renamed Project" })).toBeVisible();
});
