// Runs before every spec: the first owner signs up through the one-time /setup page, lands in the
// project the CLI filled ("default"), and the signed-in state is stored for the specs.
import { capture, expect, OWNER, OWNER_STATE, test as setup } from "./fixtures";

setup("first owner via /setup, who then owns the CLI's default project", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Set up Strop" })).toBeVisible();
  await capture(page, "setup");
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).toHaveURL(/\/projects\/default$/);
  await expect(page.getByRole("heading", { level: 1, name: "Default" })).toBeVisible();
  await expect(page.getByText(OWNER.email)).toBeVisible();

  // Setup is one-time: the page now sends people to sign in, and the API refuses.
  const again = await page.request.post("/api/v1/setup", {
    data: { email: "second@example.com", password: OWNER.password },
  });
  expect(again.status()).toBe(409);

  await page.context().storageState({ path: OWNER_STATE });
});
