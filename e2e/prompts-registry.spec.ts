// From a new project to a prompt in production, in the browser: the empty states lead to the editor,
// where a task and its prompt are written (variables flagged as you type); the prompt is evaluated and
// optimized on the offline simulator, the winner saved and labelled staging; production is protected,
// requested, approved by a second admin and applied; the label history shows it all; production rolls
// back in one click; an application fetches it with an API key. Along the way: the variable-change
// warning, the refusal to delete a labelled task, the compare view, and the editor on a phone. Any
// console error fails the spec, except the two refusals it provokes on purpose.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  type Browser,
  capture,
  createProject,
  createUser,
  expect,
  type Page,
  signIn,
  test,
} from "./fixtures";

const TASK = "review-sentiment";
const OUTPUT_PROMPT =
  "Classify the sentiment of this review as positive, negative or neutral.\n\nReview: {{text}}";

/** Console errors of `page`, but for the answers matching `expected` (refusals the spec asks for). */
function watchConsoleErrors(page: Page, expected: RegExp[]): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    if (/Failed to load resource/.test(message.text()) && expected.some((re) => re.test(where))) return;
    errors.push(`${page.url()}: ${message.text()} (${where})`);
  });
  return errors;
}

/** On a run's page: waits until it has succeeded (a fast run may be over before its page first renders). */
async function waitForRunEnd(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/runs\/(?!new)[^/]+$/);
  await expect(page.locator('main [data-status="succeeded"]').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('main [data-status="running"], main [data-status="queued"]')).toHaveCount(0);
}

/** A second admin of the project, signed in in their own browser context. */
async function secondAdmin(browser: Browser, owner: Page, slug: string) {
  const user = await createUser(owner.request, "admin", slug);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const errors = watchConsoleErrors(page, []);
  await signIn(page, user.email, user.password);
  return { page, errors, close: () => context.close() };
}

test("prompts: write a prompt, evaluate and optimize it, ship it through approval, roll back, serve it", async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(360_000);
  const errors = watchConsoleErrors(page, [/\/labels\/staging$/, new RegExp(`/prompts/${TASK}$`)]);
  const slug = await createProject(page.request, "Prompt Registry");
  const taskPage = `/projects/${slug}/prompts/${TASK}`;

  // The empty project's overview leads to the new-task editor.
  await page.goto(`/projects/${slug}`);
  const start = page.getByRole("region", { name: "Get started" });
  await expect(start.getByRole("list", { name: "Steps to a first prompt in production" })).toBeVisible();
  await start.getByRole("link", { name: "Create a task" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${slug}/prompts\\?new`));

  // Write the task: undeclared variables are flagged as you type and declared with one click.
  const editor = page.getByRole("form", { name: "New task" });
  await editor.getByLabel("Name", { exact: true }).fill(TASK);
  await editor.getByLabel("Description").fill("Sentiment of short reviews: positive, negative or neutral.");
  await editor.getByLabel("System prompt").fill("You are a helpful assistant. Answer {{tone}}.");
  await expect(editor.getByText("Sent as written:")).toBeVisible();
  await editor.getByLabel("System prompt").fill("You are a helpful assistant.");
  await editor.getByLabel("Output prompt").fill(`${OUTPUT_PROMPT}\nTone: {{tone}}`);
  await expect(editor.locator('[data-unknown-variable="text"]')).toBeVisible();
  await expect(editor.getByText("Not in the variables table:")).toContainText("{{text}}, {{tone}}");
  await expect(editor.getByTestId("editor-status")).toHaveText("2 problems to fix before saving.");
  await editor.getByRole("button", { name: "Add them to the table" }).click();
  await expect(editor.locator('tr[data-variable="text"]')).toBeVisible();
  await expect(editor.locator('[data-unknown-variable="text"]')).toHaveCount(0);
  // Taking {{tone}} out of the prompt leaves its row unused, flagged, and removable.
  await editor.getByLabel("Output prompt").fill(OUTPUT_PROMPT);
  await expect(editor.locator('tr[data-variable="tone"]')).toContainText("Unused");
  await editor.getByRole("button", { name: "Remove tone" }).click();
  await editor.getByLabel("Description of text").fill("The review, as written");
  await editor.getByLabel("Temperature").fill("0");
  await expect(editor.getByTestId("editor-status")).toHaveText("No problems found.");
  await editor.getByLabel("Message").fill("First draft");
  await capture(page, "prompt-editor");
  await editor.getByRole("button", { name: "Create task" }).click();
  await expect(page).toHaveURL(new RegExp(`${taskPage}\\?version=1$`));
  await expect(page.getByRole("heading", { level: 2, name: "Version 1" })).toBeVisible();
  await expect(page.getByTestId("version-message")).toHaveText(/First draft/);

  // A dataset of reviews (text → label), uploaded through the API.
  const csv = readFileSync(path.join(import.meta.dirname, "..", "examples", "sentiment", "reviews.csv"));
  const uploaded = await page.request.post(
    `/api/v1/projects/${slug}/datasets?name=reviews&filename=reviews.csv&expected=label&id=id`,
    { data: csv, headers: { "content-type": "text/csv" } },
  );
  expect(uploaded.status(), await uploaded.text()).toBe(201);

  // Evaluate: the task page's action opens the run form preselected (task, version, one iteration).
  await page.goto(taskPage);
  await page.getByRole("link", { name: "Evaluate" }).click();
  await expect(page).toHaveURL(/\/runs\/new\?task=review-sentiment&version=1&purpose=evaluate$/);
  const form = page.getByRole("form", { name: "Start a run" });
  await expect(form.getByLabel("Task", { exact: true })).toHaveValue(TASK);
  await expect(form.getByLabel("Start from prompt version")).toHaveValue("1");
  await expect(form.getByLabel("Task model", { exact: true })).toHaveValue("id:sim:default");
  await expect(form.getByLabel("Max iterations")).toHaveValue("1");
  await form.getByRole("button", { name: "Start run" }).click();
  await waitForRunEnd(page);

  // Optimize on the simulator, then save the winner and label it staging in one click.
  await page.goto(taskPage);
  await page.getByRole("link", { name: "Optimize" }).click();
  await expect(form.getByLabel("Start from prompt version")).toHaveValue("1");
  await form.getByLabel("Candidates per iteration (K)").fill("2");
  await form.getByLabel("Max iterations").fill("2");
  await form.getByText("Splits, seed and cache").click();
  await form.getByLabel("Seed").fill("7");
  await form.getByRole("button", { name: "Start run" }).click();
  await waitForRunEnd(page);
  const optimizeRun = page.url().split("/").at(-1) as string;
  const winner = page.getByRole("region", { name: "Winner" });
  await winner.getByRole("button", { name: "Save winner and label as staging" }).click();
  await expect(winner.getByTestId("run-winner")).toContainText(
    "is saved as version 2 of review-sentiment, labelled staging",
  );

  // Labels: production on version 1, then protected (the owner is an admin).
  await page.goto(taskPage);
  const labels = page.getByRole("region", { name: "Labels" });
  await expect(labels.locator('[data-label="staging"]')).toContainText("version 2");
  await labels.getByRole("button", { name: "Add label" }).click();
  const add = labels.getByRole("form", { name: "Add a label" });
  await expect(add.getByLabel("Label", { exact: true })).toHaveValue("production");
  await add.getByLabel("Version").selectOption("1");
  await add.getByLabel("Reason (optional)").fill("First release");
  await add.getByRole("button", { name: "Add label" }).click();
  const production = labels.locator('[data-label="production"]');
  await expect(production).toContainText("version 1");
  await production.getByRole("button", { name: "Protect", exact: true }).click();
  await expect(production).toContainText("protected");

  // Request production → version 2: the diff and both versions' scores are shown before sending.
  await production.getByRole("button", { name: "Request change" }).click();
  const request = labels.getByRole("form", { name: "Request a change of production" });
  await expect(request.getByLabel("Move to version")).toHaveValue("2");
  await expect(request.getByText("Diff from version 1 to 2")).toBeVisible();
  expect(await request.locator("ins").count()).toBeGreaterThan(0);
  await expect(request.getByText(/on reviews v1 \(held-out test split/).first()).toBeVisible();
  await request.getByLabel("Reason").fill("The optimized prompt wins on the held-out split");
  await request.getByLabel("Cited evaluation (optional)").selectOption(optimizeRun);
  await capture(page, "prompt-request-change");
  await request.getByRole("button", { name: "Request change" }).click();
  const requests = page.getByRole("region", { name: /^Change requests/ });
  const open = requests.locator('[data-request-status="open"]');
  await expect(open).toContainText("production: version 1 → version 2");
  await expect(open).toContainText("Waiting for another admin or owner to approve it.");
  await expect(open.getByRole("button", { name: "Approve" })).toHaveCount(0);
  const requestId = (
    (await (await page.request.get(`/api/v1/projects/${slug}/prompts/${TASK}/change-requests`)).json()) as {
      items: { id: string }[];
    }
  ).items[0]!.id;
  const selfApproval = await page.request.post(
    `/api/v1/projects/${slug}/prompts/${TASK}/change-requests/${requestId}/approve`,
  );
  expect(selfApproval.status()).toBe(403);

  // A second admin approves it in their own browser.
  const admin = await secondAdmin(browser, page, slug);
  await admin.page.goto(taskPage);
  const theirRequests = admin.page.getByRole("region", { name: /^Change requests/ });
  await expect(theirRequests.getByText("Diff from version 1 to 2")).toBeVisible();
  await theirRequests.getByRole("button", { name: "Approve" }).click();
  await expect(theirRequests.locator('[data-request-status="approved"]')).toBeVisible();
  await capture(admin.page, "prompt-approved");
  expect(admin.errors).toEqual([]);
  await admin.close();

  // The owner applies it: production moves to version 2 (once the reloaded page is hydrated: a click on
  // the server-rendered button before that does nothing).
  await page.reload();
  await page.waitForLoadState("networkidle");
  await requests.locator('[data-request-status="approved"]').getByRole("button", { name: "Apply" }).click();
  await expect(production).toContainText("version 2");
  await expect(requests.locator('[data-request-status="applied"]')).toBeVisible();

  // The label history: who moved what, from which version to which, why, citing what.
  const history = page.getByRole("region", { name: "Label history" }).locator("tbody tr");
  const moved = history.filter({ hasText: "production" }).and(page.locator('[data-action="moved"]'));
  await expect(moved).toContainText("v1");
  await expect(moved).toContainText("v2");
  await expect(moved).toContainText(`change request ${requestId.slice(0, 8)}`);
  await expect(history.filter({ hasText: "staging" }).first()).toContainText(
    `run ${optimizeRun.slice(0, 8)}`,
  );
  await expect(history.and(page.locator('[data-action="protected"]'))).toHaveCount(1);
  await capture(page, "prompt-label-history");

  // An application fetches production with an API key (viewer), by ETag.
  const key = await page.request.post(`/api/v1/projects/${slug}/api-keys`, {
    data: { name: "storefront", role: "viewer" },
  });
  expect(key.status(), await key.text()).toBe(201);
  const auth = { Authorization: `Bearer ${(await key.json()).secret}` };
  const app = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const served = await app.get(`/api/v1/projects/${slug}/prompts/${TASK}`, { headers: auth });
  expect(served.status()).toBe(200);
  expect(await served.json()).toMatchObject({ name: TASK, version: 2, label: "production" });
  const etag = served.headers().etag as string;
  const same = await app.get(`/api/v1/projects/${slug}/prompts/${TASK}`, {
    headers: { ...auth, "If-None-Match": etag },
  });
  expect(same.status()).toBe(304);

  // Roll back in one click (unprotected first: a protected label moves only by request).
  await production.getByRole("button", { name: "Unprotect" }).click();
  await expect(production).not.toContainText("protected");
  await production.getByRole("button", { name: "Roll back" }).click();
  await expect(production).toContainText("version 1");
  await expect(history.and(page.locator('[data-action="rolled_back"]'))).toHaveCount(1);
  const rolledBack = await app.get(`/api/v1/projects/${slug}/prompts/${TASK}`, {
    headers: { ...auth, "If-None-Match": etag },
  });
  expect(rolledBack.status()).toBe(200);
  expect((await rolledBack.json()).version).toBe(1);
  await app.dispose();

  // Moving staging to a version that needs another variable warns and needs confirmation.
  const v3 = await page.request.post(`/api/v1/projects/${slug}/prompts/${TASK}/versions`, {
    data: {
      systemPrompt: "You are a helpful assistant.",
      outputPrompt: `${OUTPUT_PROMPT}\nAnswer in {{lang}}.`,
      variables: {
        type: "object",
        properties: { text: { type: "string" }, lang: { type: "string" } },
        required: ["text", "lang"],
      },
      message: "Answers in the caller's language",
    },
  });
  expect(v3.status(), await v3.text()).toBe(201);
  await page.reload();
  const staging = labels.locator('[data-label="staging"]');
  await staging.getByRole("button", { name: "Move", exact: true }).click();
  const move = labels.getByRole("form", { name: "Move staging" });
  await move.getByLabel("Move staging to").selectOption("3");
  await move.getByRole("button", { name: "Move label" }).click();
  await expect(move.getByRole("status")).toContainText("The variables callers must send change");
  await expect(move.getByRole("status")).toContainText("lang");
  await expect(staging).toContainText("version 2");
  await move.getByRole("button", { name: "Move anyway" }).click();
  await expect(staging).toContainText("version 3");

  // Deleting the task is refused while labels point into it, and the page says so plainly.
  const deletion = page.getByRole("region", { name: "Delete this task" });
  await deletion.getByRole("button", { name: "Delete task…" }).click();
  await deletion.getByRole("button", { name: "Delete task", exact: true }).click();
  await expect(deletion.getByRole("alert")).toContainText("The task was not deleted");
  await expect(deletion.getByRole("alert")).toContainText("production");
  await capture(page, "prompt-task");

  // Compare any two versions: diff, parameter changes, scores on the same dataset.
  await page.goto(`${taskPage}/diff?from=1&to=2`);
  const summary = page.getByRole("region", { name: "Scores, parameters and variables" });
  await expect(summary.getByRole("row", { name: /reviews v1/ })).toBeVisible();
  await capture(page, "prompt-compare");

  // The editor on a phone: no sideways scrolling, everything reachable.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${taskPage}/edit?from=3`);
  await expect(page.getByRole("form", { name: "New version" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the editor scrolls sideways on a phone").toBeLessThanOrEqual(0);
  await page.screenshot({
    path: path.join(import.meta.dirname, "screenshots", "prompt-editor-phone-390x844.png"),
    fullPage: true,
  });

  expect(errors).toEqual([]);
});
