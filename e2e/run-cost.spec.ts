// Cost before you spend, in the browser: an admin sets the project's confirmation limit on the settings
// page; the start-run form estimates calls, tokens and cost as its fields change (here for a priced
// model configuration whose calls go to a loopback fake OpenAI-compatible server); starting a run above
// the limit asks for confirmation first, and the run then spends no more than the estimate's upper
// bound. An unknown simulator model is refused next to its field, naming the known ones.
import { type FakeServer, startFakeOpenAIServer } from "../lib/llm/testing/fake-openai-server";
import { capture, expect, test, unique } from "./fixtures";

let fake: FakeServer;
test.beforeAll(async () => {
  fake = await startFakeOpenAIServer({});
});
test.afterAll(async () => {
  await fake.close();
});

test("@phone the run form estimates the cost and asks to confirm a paid run above the limit", async ({
  page,
}) => {
  test.setTimeout(180_000);
  // A credential bound to the fake server, and a model configuration of it with a price.
  const credential = unique("fake").slice(0, 60);
  const stored = await page.request.put(`/api/v1/projects/sandbox/credentials/${credential}`, {
    data: { provider: "openai-compatible", baseURL: fake.baseURL },
  });
  expect(stored.status(), await stored.text()).toBe(200);
  const priced = unique("priced").slice(0, 60);
  const created = await page.request.post("/api/v1/projects/sandbox/model-configs", {
    data: {
      name: priced,
      model: "openai-compatible:sim-default",
      credential,
      concurrency: 4,
      price: { input: 30, output: 60 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);

  // The limit, on the settings page.
  await page.goto("/projects/sandbox/settings#cost-confirmation");
  const limitForm = page.getByRole("form", { name: "Cost confirmation" });
  await limitForm.getByLabel("Ask for confirmation above (USD)").fill("0.01");
  await limitForm.getByRole("button", { name: "Save limit" }).click();
  await expect(limitForm.getByText("Saved: runs on paid models above $0.01 ask first.")).toBeVisible();

  // The form: the estimate follows the fields.
  await page.goto("/projects/sandbox/runs/new");
  const form = page.getByRole("form", { name: "Start a run" });
  await form.getByLabel("Task", { exact: true }).selectOption("sentiment");
  const dataset = form.getByLabel("Dataset version");
  const reviews = await dataset.locator("option", { hasText: /^reviews(\.csv)? v1 / }).getAttribute("value");
  await dataset.selectOption(reviews as string);
  await form.getByLabel("Optimizer model", { exact: true }).selectOption("id:sim:default");
  await form.getByLabel("Task model", { exact: true }).selectOption(`config:${priced}`);
  await form.getByLabel("Max iterations").fill("1");
  const estimate = page.getByTestId("cost-estimate");
  await expect(estimate).toContainText(/At most: [\d,]+ model calls · [\d,]+ tokens · \$\d/);
  await expect(estimate).toContainText("you will be asked to confirm");
  const oneIteration = await estimate.textContent();
  await form.getByLabel("Max iterations").fill("3");
  await expect(estimate).not.toHaveText(oneIteration as string);
  await expect(estimate).toContainText("Up to 3 iterations");
  await form.getByLabel("Max iterations").fill("1");
  await expect(estimate).toContainText("Up to 1 iteration (likely 1)");
  await capture(page, "run-cost-estimate");

  // Above the limit: asked first; "Change settings" keeps the form, "Start anyway" starts the run.
  await form.getByRole("button", { name: "Start run" }).click();
  const confirmation = page.getByTestId("cost-confirmation");
  await expect(confirmation).toContainText(
    /This run may cost up to \$[\d.]+ .*above this project's limit of \$0\.01/,
  );
  await confirmation.getByRole("button", { name: "Change settings" }).click();
  await expect(confirmation).toHaveCount(0);
  await expect(page).toHaveURL(/\/runs\/new$/);
  await form.getByRole("button", { name: "Start run" }).click();
  await page.getByTestId("cost-confirmation").getByRole("button", { name: "Start anyway" }).click();
  await expect(page).toHaveURL(/\/projects\/sandbox\/runs\/(?!new)[^/]+$/);
  const runId = page.url().split("/").at(-1) as string;
  await expect(page.locator('main [data-status="succeeded"]').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole("region", { name: "Report" })).toContainText(/Gain [+−]\d/, {
    timeout: 20_000,
  });
  // The finished run's page (report, winner and its diff, chart) fits the screen, a phone's too.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the run page scrolls sideways").toBeLessThanOrEqual(0);

  // What it spent stays within the estimate made from the same spec.
  const detail = await (await page.request.get(`/api/v1/projects/sandbox/runs/${runId}`)).json();
  const again = await page.request.post("/api/v1/projects/sandbox/runs/estimate", {
    data: detail.config.spec,
  });
  expect(again.status(), await again.text()).toBe(200);
  const bound = await again.json();
  expect(detail.calls).toBeGreaterThan(0);
  expect(detail.calls).toBeLessThanOrEqual(bound.upper.calls);
  expect(detail.costUsd).toBeGreaterThan(0);
  expect(detail.costUsd).toBeLessThanOrEqual(bound.upper.costUsd);
  expect(fake.requests.length).toBeGreaterThan(0);
});

test("an unknown simulator model is refused in the form, naming the known ones", async ({ page }) => {
  await page.goto("/projects/sandbox/runs/new");
  const form = page.getByRole("form", { name: "Start a run" });
  await form.getByLabel("Task", { exact: true }).selectOption("sentiment");
  await form.getByLabel("Task model", { exact: true }).selectOption("custom");
  await form.getByLabel("Task model id").fill("sim:nope");
  await form.getByLabel("Optimizer model", { exact: true }).selectOption("id:sim:default");
  await expect(page.getByTestId("cost-estimate")).toContainText("known simulator models: sim:default");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByRole("alert")).toContainText('Unknown simulator model "sim:nope"');
  await expect(form.getByLabel("Task model id")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/runs\/new$/);
});
