// A viewer reads everything and changes nothing: no write control on any page, and every write
// operation of the API (taken from the OpenAPI document, so new ones are covered) refuses the
// viewer's session with 403.
import { capture, expect, type Page, signIn, test, unique, watchCspViolations } from "./fixtures";

/** Accessible names of controls that change something ("run <id>" is a link to a run, not an action). */
const WRITE_ACTION =
  /^(create|add|new|save|update|edit|delete|remove|revoke|invite|upload|import|replace|rename|start|cancel|stop|rollback|move|promote|archive|restore|set|change|apply|run(?! [a-z0-9]{8})|optimi[sz]e|retry|resume|label)\b/i;

/** Buttons and links that look like writes, and form controls outside read-only GET forms. */
async function writeControls(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const role of ["button", "link"] as const) {
    for (const control of await page.getByRole(role, { name: WRITE_ACTION }).all()) {
      if (await control.isVisible()) found.push(`${role} "${(await control.textContent())?.trim()}"`);
    }
  }
  const inputs = page.locator(
    'main :is(input:not([type="hidden"]), textarea, select):not(#project-switcher):not([data-readonly-control])',
  );
  for (const input of await inputs.all()) {
    if (!(await input.isVisible()) || !(await input.isEnabled())) continue;
    const inGetForm = await input.evaluate((el) => el.closest("form")?.method.toLowerCase() === "get");
    if (!inGetForm) found.push(`control ${await input.evaluate((el) => el.outerHTML.slice(0, 80))}`);
  }
  return found;
}

test("a viewer sees no write control on any page and every write request is refused", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  // The owner adds a new viewer to the CLI's project (the one with runs, prompts and a dataset).
  const email = `${unique("viewer")}@example.com`;
  const password = "viewer password 123";
  await page.goto("/projects/default/members");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByLabel("Initial password (new users)").fill(password);
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByText(`${email} is now viewer.`)).toBeVisible();
  await capture(page, "members-owner");

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  const cspViolations = watchCspViolations(viewer);
  await signIn(viewer, email, password);

  const runHref = await (async () => {
    await viewer.goto("/projects/default/runs");
    return viewer
      .getByRole("row", { name: /sentiment/ })
      .first()
      .getByRole("link")
      .getAttribute("href");
  })();
  expect(runHref).toBeTruthy();
  const pages = [
    "/projects/default",
    "/projects/default/runs",
    "/projects/default/runs/new",
    runHref as string,
    `${runHref}/results`,
    "/projects/default/prompts",
    "/projects/default/prompts/sentiment",
    "/projects/default/prompts/sentiment?version=1",
    "/projects/default/prompts/sentiment/diff?from=1&to=2",
    "/projects/default/datasets",
    "/projects/default/batches",
    "/projects/default/settings",
    "/projects/default/members",
    "/projects/default/api-keys",
    "/projects/default/audit",
  ];
  const problems: string[] = [];
  for (const path of pages) {
    const response = await viewer.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(viewer.locator("main h1").first()).toBeVisible();
    for (const control of await writeControls(viewer)) problems.push(`${path}: ${control}`);
  }
  expect(problems).toEqual([]);
  // Every page passes the Content-Security-Policy (proxy.ts): nothing refused in the console.
  expect(cspViolations).toEqual([]);
  // Admin-only pages explain instead of showing data; the navigation hides them.
  await viewer.goto("/projects/default/api-keys");
  await expect(viewer.getByText("You cannot see this page")).toBeVisible();
  await expect(
    viewer.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "API keys" }),
  ).toHaveCount(0);
  await viewer.goto("/projects/default/members");
  await expect(viewer.getByRole("columnheader", { name: "Actions" })).toHaveCount(0);
  await capture(viewer, "members-viewer");

  // Every project write in the API, with the viewer's session cookie.
  const doc = await (await viewer.request.get("/api/v1/openapi.json")).json();
  const writes: string[] = [];
  for (const [template, ops] of Object.entries(
    doc.paths as Record<string, Record<string, Record<string, unknown>>>,
  )) {
    for (const [method, op] of Object.entries(ops)) {
      // Reads sent as POST (rendering a prompt) are open to viewers, as their x-strop-role says.
      if (method === "get" || op["x-strop-auth"] !== "project" || op["x-strop-role"] === "viewer") continue;
      const url = template.replace(/\{(\w+)\}/g, (_m, name: string) =>
        name === "project" ? "default" : "e2e-missing",
      );
      const res = await viewer.request.fetch(url, {
        method: method.toUpperCase(),
        ...(method === "delete" ? {} : { data: {} }),
      });
      const body = await res.json().catch(() => null);
      writes.push(`${method.toUpperCase()} ${template} → ${res.status()} ${body?.error?.code ?? ""}`);
      expect(res.status(), `${method.toUpperCase()} ${template}`).toBe(403);
      expect(body?.error?.code).toBe("forbidden");
    }
  }
  expect(writes.length).toBeGreaterThanOrEqual(5);
  // Reads work with the same session.
  expect((await viewer.request.get("/api/v1/projects/default/prompts")).status()).toBe(200);
  await context.close();
});
