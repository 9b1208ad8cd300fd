// An admin creates an API key in the UI, copies the secret shown once, and calls the API with it;
// after revoking it in the UI, the same key is refused. The list shows a new (or revoked) key at once, in
// the same render as the confirmation, even while the page's refresh from the server is slow.
import { capture, createProject, expect, type Page, test } from "./fixtures";

/** Holds back the page's server refreshes (React Server Component requests) by `ms`. */
async function slowRefreshes(page: Page, ms: number): Promise<void> {
  await page.route("**/*", async (route) => {
    if (route.request().headers().rsc === "1") await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue().catch(() => {}); // the page may have moved on meanwhile
  });
}

test("create an API key, use it as a Bearer token, revoke it", async ({ page, playwright, baseURL }) => {
  const slug = await createProject(page.request, "Keys Project");
  await page.goto(`/projects/${slug}/api-keys`);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await page.getByLabel("Name").fill("CI pipeline");
  await page.getByLabel("Role").selectOption("editor");
  await slowRefreshes(page, 4_000);
  await page.getByRole("button", { name: "Create key" }).click();

  const secretField = page.getByLabel("New API key");
  await expect(secretField).toBeVisible();
  // In the list with the secret, not once the (here slow) refresh arrives.
  await expect(page.getByRole("cell", { name: "CI pipeline", exact: true })).toBeVisible({ timeout: 1_000 });
  await page.unrouteAll({ behavior: "ignoreErrors" });
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^strop_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  await capture(page, "api-keys");

  // A request context without the browser's cookies: only the key authenticates.
  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const auth = { Authorization: `Bearer ${secret}` };
  const ok = await api.get(`/api/v1/projects/${slug}`, { headers: auth });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).slug).toBe(slug);
  expect((await api.get(`/api/v1/projects/${slug}`)).status()).toBe(401);

  // The list never shows the secret again.
  await page.reload();
  await expect(page.getByLabel("New API key")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  page.once("dialog", (dialog) => dialog.accept());
  await slowRefreshes(page, 4_000);
  await page.getByRole("button", { name: "Revoke CI pipeline" }).click();
  await expect(page.getByText(/^Revoked/)).toBeVisible({ timeout: 3_000 });
  await page.unrouteAll({ behavior: "ignoreErrors" });

  const refused = await api.get(`/api/v1/projects/${slug}`, { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthenticated");
  await api.dispose();
});
