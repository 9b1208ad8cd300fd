// An admin creates an API key in the UI, copies the secret shown once, and calls the API with it;
// after revoking it in the UI, the same key is refused.
import { expect, test } from "@playwright/test";
import { capture, createProject } from "./fixtures";

test("create an API key, use it as a Bearer token, revoke it", async ({ page, playwright, baseURL }) => {
  const slug = await createProject(page.request, "Keys Project");
  await page.goto(`/projects/${slug}/api-keys`);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await page.getByLabel("Name").fill("CI pipeline");
  await page.getByLabel("Role").selectOption("editor");
  await page.getByRole("button", { name: "Create key" }).click();

  const secretField = page.getByLabel("New API key");
  await expect(secretField).toBeVisible();
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^strop_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("cell", { name: "CI pipeline", exact: true })).toBeVisible();
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
  await page.getByRole("button", { name: "Revoke CI pipeline" }).click();
  await expect(page.getByText(/^Revoked/)).toBeVisible();

  const refused = await api.get(`/api/v1/projects/${slug}`, { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthenticated");
  await api.dispose();
});
