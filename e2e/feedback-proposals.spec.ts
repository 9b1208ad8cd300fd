// Negative feedback proposes "optimize from feedback", end to end on the built app: an application
// generates answers with a prompt's production version and sends mostly thumbs-down feedback (some with
// corrections) through the API; an admin lowers the project's minimum in the settings page's "Feedback
// alerts" and runs "Check now"; the prompt's page and the overview show the proposal; "Optimize from
// feedback" starts a run on the corrections and opens it, after which the proposal is gone.
import AxeBuilder from "@axe-core/playwright";
import { capture, createProject, expect, type Page, test } from "./fixtures";

const TASK = "support-reply";

/** axe's serious and critical findings inside `selector` (this feature's part of a shared page). */
async function violationsIn(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`);
}

test("feedback proposals: negative feedback over the threshold proposes a run, Start opens it", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const slug = await createProject(page.request, "Feedback proposals");
  const created = await page.request.post(`/api/v1/projects/${slug}/prompts`, {
    data: { name: TASK, version: { outputPrompt: "Reply to: {{ticket}}" } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const label = await page.request.put(`/api/v1/projects/${slug}/prompts/${TASK}/labels/production`, {
    data: { version: 1, reason: "first release" },
  });
  expect(label.status(), await label.text()).toBe(200);
  const key = await page.request.post(`/api/v1/projects/${slug}/api-keys`, {
    data: { name: "support app", role: "editor" },
  });
  expect(key.status(), await key.text()).toBe(201);
  const headers = { authorization: `Bearer ${(await key.json()).secret}` };

  // Twelve answers: nine thumbs-down (three of them corrected), three thumbs-up — 75% negative.
  for (let i = 0; i < 12; i++) {
    const generated = await page.request.post(`/api/v1/projects/${slug}/prompts/${TASK}/generate`, {
      headers,
      data: { variables: { ticket: `Ticket ${i}: my order is late` } },
    });
    expect(generated.status(), await generated.text()).toBe(200);
    const { generationId } = await generated.json();
    const feedback = await page.request.post("/api/v1/feedback", {
      headers,
      data: {
        generationId,
        name: "thumbs_up",
        value: i >= 9,
        ...(i < 3 ? { correction: `Sorry about order ${i}: it ships tomorrow.` } : {}),
      },
    });
    expect(feedback.status(), await feedback.text()).toBe(201);
  }

  // Twelve judgments are under the default minimum of 30: the admin lowers it, then checks now.
  await page.goto(`/projects/${slug}/settings`);
  const form = page.getByRole("form", { name: "Feedback alerts" });
  expect(await violationsIn(page, "section[aria-labelledby=feedback-alerts-heading]")).toEqual([]);
  await form.getByLabel("Minimum judgments").fill("10");
  await form.getByRole("button", { name: "Save feedback alerts" }).click();
  await expect(form.getByText("Saved.")).toBeVisible();
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "new proposal" })).toHaveText(
    "1 new proposal, 0 brought up to date.",
  );

  // The overview lists it with its prompt; the prompt's page offers to optimize.
  await page.goto(`/projects/${slug}`);
  const onOverview = page.getByRole("list", { name: "Proposals to optimize from feedback" });
  await expect(onOverview.getByRole("link", { name: TASK })).toBeVisible();
  expect(await violationsIn(page, "section[aria-labelledby=feedback-proposals-heading]")).toEqual([]);
  await page.goto(`/projects/${slug}/prompts/${TASK}`);
  const proposals = page.getByRole("list", { name: "Proposals to optimize from feedback" });
  await expect(proposals).toContainText(
    "version 1: 75% of 12 thumbs_up judgments negative in the last 7 days",
  );
  await expect(proposals).toContainText("3 corrections to learn from.");
  expect(await violationsIn(page, "section[aria-labelledby=feedback-proposals-heading]")).toEqual([]);
  await capture(page, "feedback-proposal");
  await proposals.getByRole("button", { name: "Optimize from feedback" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  const runId = page.url().split("/").at(-1) as string;

  // The proposal records the run and leaves the open list.
  const started = await page.request.get(`/api/v1/projects/${slug}/feedback-proposals?status=started`);
  expect((await started.json()).items).toEqual([
    expect.objectContaining({ status: "started", runId, version: 1, feedbackName: "thumbs_up" }),
  ]);
  await page.goto(`/projects/${slug}/prompts/${TASK}`);
  await expect(page.getByRole("heading", { name: TASK, level: 1 })).toBeVisible();
  await expect(page.getByRole("list", { name: "Proposals to optimize from feedback" })).toHaveCount(0);
});
