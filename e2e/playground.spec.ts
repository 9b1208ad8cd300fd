// The playground in the browser: from a prompt version's page ("Open in playground"), two versions side
// by side on the offline simulator, filled from three dataset rows one after the other, each run
// streaming an answer with tokens, latency and cost per column; then a draft edited from version 2 is
// saved as version 3, and the inputs with a corrected answer are added to the dataset (its version 2).
// Runs at laptop size and, titled "@phone", on a 390×844 phone. Any console error fails it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { capture, createProject, expect, type Page, test } from "./fixtures";

const TASK = "review-sentiment";
const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");

function watchConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error")
      errors.push(`${page.url()}: ${message.text()} (${message.location().url})`);
  });
  return errors;
}

/** Laptop sizes through `capture`; on the phone a full-page shot that must not scroll sideways. */
async function screenshot(page: Page, name: string, isMobile: boolean): Promise<void> {
  if (!isMobile) return capture(page, name);
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(widths.client);
  await page.screenshot({ path: path.join(SCREENSHOTS, `phone-${name}.png`), fullPage: true });
}

/** Runs all columns and waits until each shows its usage. */
async function runAll(page: Page): Promise<string[]> {
  await page.getByRole("button", { name: "Run all" }).click();
  await expect(page.getByRole("button", { name: "Run all" })).toBeEnabled({ timeout: 30_000 });
  const answers: string[] = [];
  for (const position of [1, 2]) {
    await expect(page.getByTestId(`usage-${position}`)).toContainText(/\d+ in · \d+ out/);
    const answer = (await page.getByLabel(`Answer of column ${position}`).textContent()) ?? "";
    expect(answer.trim().length, `column ${position} answered`).toBeGreaterThan(0);
    await expect(page.getByTestId(`usage-${position}`)).toContainText(/\d+ ms/);
    await expect(page.getByTestId(`usage-${position}`)).toContainText("$0");
    answers.push(answer);
  }
  return answers;
}

test("@phone playground: two versions on three dataset rows, a draft saved, a row added to the dataset", async ({
  page,
  isMobile,
}) => {
  test.setTimeout(180_000);
  const errors = watchConsoleErrors(page);
  const slug = await createProject(page.request, "Playground");
  const api = `/api/v1/projects/${slug}`;
  const created = await page.request.post(`${api}/prompts`, {
    data: {
      name: TASK,
      version: {
        systemPrompt: "You label reviews.",
        outputPrompt:
          "Classify the sentiment of this review as positive, negative or neutral.\n\nReview: {{text}}",
        message: "First try",
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const second = await page.request.post(`${api}/prompts/${TASK}/versions`, {
    data: {
      systemPrompt: "You label customer reviews. Answer with one word: positive, negative or neutral.",
      outputPrompt:
        "Classify the sentiment of this review as positive, negative or neutral.\n\nReview: {{text}}",
      message: "One word only",
    },
  });
  expect(second.status(), await second.text()).toBe(201);
  const csv = readFileSync(path.join(import.meta.dirname, "..", "examples", "sentiment", "reviews.csv"));
  const uploaded = await page.request.post(
    `${api}/datasets?name=reviews&filename=reviews.csv&expected=label&id=id`,
    { data: csv, headers: { "content-type": "text/csv" } },
  );
  expect(uploaded.status(), await uploaded.text()).toBe(201);

  // From version 1's page into the playground.
  await page.goto(`/projects/${slug}/prompts/${TASK}?version=1`);
  await page.getByRole("link", { name: "Open in playground" }).click();
  await expect(page).toHaveURL(new RegExp(`/playground\\?task=${TASK}&version=1$`));
  await expect(page.getByRole("heading", { level: 1, name: "Playground" })).toBeVisible();
  await expect(page.getByLabel("Version (column 1)")).toHaveValue("1");
  await page.getByRole("button", { name: "Add column" }).click();
  await page.getByLabel("Version (column 2)").selectOption("2");
  await expect(page.getByLabel("Model (column 2)")).toHaveValue("");

  // Three rows of the dataset, one after the other: each fills {{text}}, each run answers per column.
  await expect(page.locator("#fill-dataset")).toHaveValue("reviews");
  const text = page.locator("#variable-text");
  const rows = ["s001", "s002", "s003"];
  for (const [i, id] of rows.entries()) {
    await page.getByRole("button", { name: i === 0 ? "First row" : "Next row" }).click();
    await expect(page.getByText(`Row ${i + 1} of `)).toContainText(`(id ${id})`);
    await expect(text).not.toHaveValue("");
    await runAll(page);
  }
  await expect(text).toHaveValue("Customer support was responsive and the app is intuitive. Love it!");
  await screenshot(page, "playground", isMobile);

  // A draft from version 2, run next to version 1, then saved as version 3.
  await page.getByRole("button", { name: "Edit the prompt of column 2" }).click();
  await page.getByLabel("System prompt (draft, column 2)").fill("Answer with exactly one lowercase word.");
  await runAll(page);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.getByLabel("Why this version (its message)").fill("Tried in the playground");
  await page.getByRole("button", { name: "Save version" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as" })).toContainText("version 3");
  await expect(page.getByLabel("Version (column 2)")).toHaveValue("3");
  const saved = await page.request.get(`${api}/prompts/${TASK}/versions/3`);
  expect((await saved.json()).systemPrompt).toBe("Answer with exactly one lowercase word.");

  // The inputs and a corrected answer become a new row of the dataset (its version 2).
  const add = page.getByRole("form", { name: "Add to a dataset" });
  await add.getByRole("button", { name: "Start from column 1" }).click();
  await expect(add.getByLabel("Corrected output")).not.toHaveValue("");
  await add.getByLabel("Corrected output").fill("positive");
  await add.getByRole("button", { name: "Add row" }).click();
  await expect(add.getByRole("status")).toContainText("it is now at version 2");
  const rowsV2 = await page.request.get(`${api}/datasets/reviews/versions/2/examples?limit=500`);
  const items = (await rowsV2.json()).items as { input: Record<string, string>; expected: string }[];
  expect(items.at(-1)).toMatchObject({
    input: { text: "Customer support was responsive and the app is intuitive. Love it!" },
    expected: "positive",
  });
  await screenshot(page, "playground-saved", isMobile);
  expect(errors).toEqual([]);
});
