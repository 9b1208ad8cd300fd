// A/B test on live traffic, end to end on the built app: an editor creates an experiment between two
// versions of a prompt in the browser (the planned sample size shows as the effect is typed) and starts
// it — after 60 subjects generated and rated answers before the start, so the analysis uses CUPED; a
// browser without any key sends feedback with an answer's signed token (a forged one is refused);
// scripts/traffic.ts serves 200 subjects through the API (GET by label with a subject, generate with the
// subject header) and sends their feedback (tokens and the API key, replays counted once); "Analyze now"
// concludes the experiment, which moves `production` to the better version — the label history shows
// the experiment as the actor. Screenshots of the list, the draft and the concluded experiment.
import { analyzeNow, sendExperimentTraffic, sendPrePeriodTraffic } from "../scripts/traffic";
import { capture, createProject, expect, test } from "./fixtures";

const TASK = "support-reply";

async function apiKey(
  request: import("./fixtures").APIRequestContext,
  slug: string,
  role: "viewer" | "editor",
) {
  const res = await request.post(`/api/v1/projects/${slug}/api-keys`, {
    data: { name: `${role} app`, role },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).secret as string;
}

/** A project with a prompt of two versions, `production` on version 1, and keys for an application. */
async function promptWithTwoVersions(request: import("./fixtures").APIRequestContext, name: string) {
  const slug = await createProject(request, name);
  const created = await request.post(`/api/v1/projects/${slug}/prompts`, {
    data: { name: TASK, version: { outputPrompt: "Reply to: {{ticket}}" } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const second = await request.post(`/api/v1/projects/${slug}/prompts/${TASK}/versions`, {
    data: { outputPrompt: "Reply briefly and kindly to: {{ticket}}", message: "Shorter and kinder" },
  });
  expect(second.status(), await second.text()).toBe(201);
  const label = await request.put(`/api/v1/projects/${slug}/prompts/${TASK}/labels/production`, {
    data: { version: 1, reason: "first release" },
  });
  expect(label.status(), await label.text()).toBe(200);
  return {
    slug,
    viewerKey: await apiKey(request, slug, "viewer"),
    editorKey: await apiKey(request, slug, "editor"),
  };
}

test("experiments: create and start in the browser, live traffic and feedback, the winner takes production", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const { slug, viewerKey, editorKey } = await promptWithTwoVersions(page.request, "Experiments");

  // The list's empty state leads to the form below it; the planned sample follows the effect typed.
  await page.goto(`/projects/${slug}/experiments`);
  await expect(page.getByRole("heading", { name: "Experiments", level: 1 })).toBeVisible();
  await expect(page.getByText("No experiments yet")).toBeVisible();
  const form = page.getByRole("form", { name: "New experiment" });
  await form.getByLabel("Name", { exact: true }).fill("Kinder replies");
  await expect(form.getByLabel("Control: version")).toHaveValue("1");
  await expect(form.getByLabel("Variant A: version")).toHaveValue("2");
  await form.getByLabel("Control's expected rate (0–1)").fill("0.3");
  await form.getByLabel("Smallest difference worth detecting").fill("0.3");
  const planned = page.getByTestId("planned-sample");
  await expect(planned).toContainText("subjects per variant");
  const perVariant = Number(
    (await planned.textContent())?.match(/Planned sample: ([\d,]+)/)?.[1]?.replace(",", ""),
  );
  expect(perVariant).toBeGreaterThan(20);
  await form.getByLabel("Smallest difference worth detecting").fill("0.1");
  await expect(planned).not.toContainText(`${perVariant} subjects`);
  await form.getByLabel("Smallest difference worth detecting").fill("0.3");
  await capture(page, "experiments-new");
  await form.getByRole("button", { name: "Create experiment" }).click();
  await expect(page).toHaveURL(/\/experiments\/[^/]+$/);
  const experimentId = page.url().split("/").at(-1) as string;
  await expect(page.getByText("Start the experiment to split the label's traffic")).toBeVisible();
  await capture(page, "experiment-draft");
  // Before the start: subjects' own generations and thumbs-up, which CUPED reads as pre-period values.
  const before = { url: baseURL as string, project: slug, prompt: TASK, editorKey };
  await sendPrePeriodTraffic({ ...before, variables: { ticket: "Where is my order?" } }, 60);
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByRole("button", { name: "Analyze now" })).toBeVisible();

  // A browser with no key and no session: feedback with the token of an answer it was given.
  const served = await page.request.get(`/api/v1/projects/${slug}/prompts/${TASK}?subject=browser-user`, {
    headers: { authorization: `Bearer ${viewerKey}` },
  });
  const answer = await served.json();
  expect(answer.experiment.id).toBe(experimentId);
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const visitor = await anonymous.newPage();
  await visitor.goto(`${baseURL}/sign-in`);
  const fromBrowser = await visitor.evaluate(async (token) => {
    const post = (body: unknown) =>
      fetch("/api/v1/feedback", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const good = await post({
      token,
      name: "thumbs_up",
      value: true,
      comment: "Lovely",
      idempotencyKey: "browser-1",
    });
    const replay = await post({ token, name: "thumbs_up", value: false, idempotencyKey: "browser-1" });
    const forged = await post({ token: `${token.slice(0, -3)}abc`, name: "thumbs_up", value: true });
    return { good, replay, forged: forged.status };
  }, answer.feedbackToken as string);
  await anonymous.close();
  expect(fromBrowser.good.status).toBe(201);
  expect(fromBrowser.good.body).toMatchObject({
    exposureId: answer.experiment.exposureId,
    value: 1,
    source: "user",
  });
  expect(fromBrowser.replay.body).toMatchObject({ id: fromBrowser.good.body.id, value: 1, replayed: true });
  expect(fromBrowser.forged).toBe(401);

  // Applications' traffic: version 2 earns more thumbs-up.
  const traffic = {
    url: baseURL as string,
    project: slug,
    prompt: TASK,
    experimentId,
    viewerKey,
    editorKey,
    subjects: 200,
    rates: [0.2, 0.8],
    variables: { ticket: "Where is my order?" },
  };
  const sent = await sendExperimentTraffic(traffic);
  expect(sent.exposures.reduce((a, b) => a + b, 0)).toBe(200);
  expect(Math.min(...sent.exposures)).toBeGreaterThan(60);
  expect(sent.feedbackSent).toBe(200);
  expect(sent.replays).toBe(20);

  const concluded = await analyzeNow(traffic);
  expect(concluded).toMatchObject({ status: "stopped", decision: "winner", winnerVariant: 1 });
  expect(concluded.promotion).toBe('label "production" moved to version 2');

  // The page shows the decision, the charts and the feedback; the label history names the experiment.
  await page.reload();
  await expect(page.getByTestId("decision")).toContainText("A variant won: version 2");
  await expect(page.getByTestId("promotion")).toContainText("moved to version 2");
  // 200 subjects of the traffic and the browser's; 60 of them rated answers before the start.
  await expect(page.getByTestId("cuped-summary")).toContainText(
    /^CUPED: intervals narrowed by \d+\.\d% \(60 of 201 subjects had a value of thumbs_up in the 28 days before the start\)\.$/,
  );
  await expect(page.getByRole("img", { name: /Chance to beat control: 1 analysis/ })).toBeVisible();
  // The newest 20 of 201 feedback rows (the browser's and the traffic's, by token and by key).
  const stream = page.getByRole("list", { name: "Feedback, newest first" });
  await expect(stream.getByRole("listitem")).toHaveCount(20);
  await expect(stream).toContainText("thumbs_up");
  await expect(stream).toContainText("feedback token");
  await capture(page, "experiment-concluded");
  const history = await page.request.get(`/api/v1/projects/${slug}/prompts/${TASK}/history?label=production`);
  const events = (await history.json()).items as {
    action: string;
    toVersion: number;
    actor: { label: string };
  }[];
  expect(events[0]).toMatchObject({
    action: "moved",
    toVersion: 2,
    actor: { label: 'experiment "Kinder replies"' },
  });
  await page.goto(`/projects/${slug}/prompts/${TASK}`);
  await expect(page.getByText('experiment "Kinder replies"').first()).toBeVisible();
  const list = await page.request.get(`/api/v1/projects/${slug}/prompts/${TASK}?subject=after`, {
    headers: { authorization: `Bearer ${viewerKey}` },
  });
  expect(await list.json()).toMatchObject({ version: 2, label: "production" });
  expect((await list.json()).experiment).toBeUndefined();

  await page.goto(`/projects/${slug}/experiments`);
  await expect(page.getByRole("link", { name: "Kinder replies" })).toBeVisible();
  await capture(page, "experiments-list");
});

test("@phone experiments: the list, the form and an experiment fit a phone", async ({ page }) => {
  const { slug } = await promptWithTwoVersions(page.request, "Experiments phone");
  await page.goto(`/projects/${slug}/experiments`);
  const form = page.getByRole("form", { name: "New experiment" });
  await form.getByLabel("Name", { exact: true }).fill("On a phone");
  await form.getByRole("button", { name: "Create experiment" }).click();
  await expect(page).toHaveURL(/\/experiments\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "On a phone", level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
