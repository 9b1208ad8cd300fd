// Generations and their feedback, end to end on the built app: an application generates through the
// serving API with a key (one answer under a running experiment, one plain) and sends feedback; the task
// page counts the generations and links to them; the list filters by negative feedback; the generation
// page shows the answer and its feedback, and an editor's review with a correction shows there and in
// the version's feedback summary; the experiment's feedback stream links to the generation. On a phone:
// the empty list says how generations appear, and the list and a generation fit the screen.
import { capture, createProject, expect, type Page, test } from "./fixtures";

const TASK = "support-reply";

type Request = import("./fixtures").APIRequestContext;

async function promptWithKey(request: Request, name: string) {
  const slug = await createProject(request, name);
  const created = await request.post(`/api/v1/projects/${slug}/prompts`, {
    data: { name: TASK, version: { outputPrompt: "Reply to: {{ticket}}" } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const second = await request.post(`/api/v1/projects/${slug}/prompts/${TASK}/versions`, {
    data: { outputPrompt: "Reply briefly to: {{ticket}}", message: "Shorter" },
  });
  expect(second.status(), await second.text()).toBe(201);
  const label = await request.put(`/api/v1/projects/${slug}/prompts/${TASK}/labels/production`, {
    data: { version: 1, reason: "first release" },
  });
  expect(label.status(), await label.text()).toBe(200);
  const key = await request.post(`/api/v1/projects/${slug}/api-keys`, {
    data: { name: "app", role: "editor" },
  });
  expect(key.status(), await key.text()).toBe(201);
  return { slug, key: (await key.json()).secret as string };
}

async function generate(request: Request, slug: string, key: string, body: object) {
  const res = await request.post(`/api/v1/projects/${slug}/prompts/${TASK}/generate`, {
    headers: { authorization: `Bearer ${key}` },
    data: body,
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { generationId: string; version: number; experiment?: { id: string } };
}

async function noSidewaysScroll(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} scrolls sideways`).toBeLessThanOrEqual(0);
}

test("generations: feedback from an application, a reviewer's correction, the version's summary", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { slug, key } = await promptWithKey(page.request, "Generations");
  const experiment = await page.request.post(`/api/v1/projects/${slug}/experiments`, {
    data: {
      name: "Brevity",
      task: TASK,
      variants: [{ version: 1 }, { version: 2 }],
      metric: { source: "feedback", name: "thumbs_up", kind: "proportion" },
      baseline: 0.5,
      minimumDetectableEffect: 0.2,
    },
  });
  expect(experiment.status(), await experiment.text()).toBe(201);
  const experimentId = (await experiment.json()).id as string;
  const started = await page.request.post(`/api/v1/projects/${slug}/experiments/${experimentId}/start`);
  expect(started.status(), await started.text()).toBe(200);

  const judged = await generate(page.request, slug, key, {
    variables: { ticket: "Where is my order?" },
    subject: "user-1",
  });
  expect(judged.experiment?.id).toBe(experimentId);
  await generate(page.request, slug, key, { variables: { ticket: "Can I get a refund?" } });
  const feedback = await page.request.post("/api/v1/feedback", {
    headers: { authorization: `Bearer ${key}` },
    data: { generationId: judged.generationId, name: "thumbs_up", value: false, comment: "Too curt" },
  });
  expect(feedback.status(), await feedback.text()).toBe(201);

  // The task page counts them and links to the list.
  const taskPath = `/projects/${slug}/prompts/${TASK}`;
  await page.goto(taskPath);
  await expect(page.getByTestId("generation-counts")).toContainText(
    "2 generations through the serving API, 1 with feedback",
  );
  await page.getByRole("link", { name: "View generations" }).click();
  await expect(page).toHaveURL(`${taskPath}/generations`);
  const list = page.getByRole("list", { name: "Generations, newest first" });
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await page.getByLabel("Feedback").selectOption("negative");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/feedback=negative/);
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText("1 judgment · 1 negative");
  await expect(list).toContainText("Brevity, variant");
  await capture(page, "generations-list");

  // The generation: its answer, its experiment, its feedback; an editor reviews it with a correction.
  await list.getByRole("link", { name: new RegExp(`generation ${judged.generationId}`) }).click();
  await expect(page).toHaveURL(`${taskPath}/generations/${judged.generationId}`);
  await expect(page.getByText("Where is my order?", { exact: true })).toBeVisible();
  await expect(page.getByTestId("generation-output")).not.toBeEmpty();
  await expect(page.getByRole("link", { name: "Brevity" })).toBeVisible();
  const stream = page.getByRole("list", { name: "Feedback, newest first" });
  await expect(stream).toContainText("“Too curt”");
  const review = page.getByRole("form", { name: "Review this generation" });
  await review.getByLabel("Judgment").selectOption("bad");
  await review.getByLabel("Comment (optional)").fill("Needs the delivery date");
  await review.getByLabel(/Add a corrected output/).check();
  await review.getByLabel("Correction").fill("Sorry for the wait: it ships today and arrives Friday.");
  await review.getByRole("button", { name: "Send review" }).click();
  await expect(page.getByText("Your review was recorded.")).toBeVisible();
  await expect(stream.getByRole("listitem")).toHaveCount(2);
  await expect(stream).toContainText("from reviewer");
  await expect(stream).toContainText("Correction: Sorry for the wait: it ships today and arrives Friday.");
  await capture(page, "generation");

  // The version's summary counts both judgments and the correction.
  await page.getByRole("link", { name: `Feedback on version ${judged.version}` }).click();
  const summary = page.getByTestId("version-feedback");
  await expect(summary).toContainText("thumbs_up: 0% positive of 2");
  await expect(summary).toContainText("2 judgments · 1 correction");
  await summary.getByRole("link", { name: "With negative feedback" }).click();
  await expect(page).toHaveURL(new RegExp(`generations\\?version=${judged.version}&feedback=negative`));
  await expect(list.getByRole("listitem")).toHaveCount(1);

  // The experiment's feedback stream links to the generation.
  await page.goto(`/projects/${slug}/experiments/${experimentId}`);
  const experimentStream = page.getByRole("list", { name: "Feedback, newest first" });
  await experimentStream
    .getByRole("link", { name: /the generation/ })
    .first()
    .click();
  await expect(page).toHaveURL(`${taskPath}/generations/${judged.generationId}`);
});

test("@phone generations: the empty list says how they appear; the list and a generation fit a phone", async ({
  page,
}) => {
  const { slug, key } = await promptWithKey(page.request, "Generations phone");
  const listPath = `/projects/${slug}/prompts/${TASK}/generations`;
  await page.goto(listPath);
  await expect(page.getByText("No generations yet")).toBeVisible();
  await expect(page.getByText(`POST /api/v1/projects/${slug}/prompts/${TASK}/generate`)).toBeVisible();
  const answer = await generate(page.request, slug, key, {
    variables: { ticket: "A rather long ticket about a parcel that never arrived at the right address" },
    subject: "a-subject-with-a-long-identifier-0123456789",
  });
  await page.goto(listPath);
  await expect(
    page.getByRole("list", { name: "Generations, newest first" }).getByRole("listitem"),
  ).toHaveCount(1);
  await noSidewaysScroll(page, "the generations list");
  await page.goto(`${listPath}/${answer.generationId}`);
  await expect(page.getByRole("form", { name: "Review this generation" })).toBeVisible();
  await noSidewaysScroll(page, "the generation page");
});
