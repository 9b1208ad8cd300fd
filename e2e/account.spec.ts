// The account menu: changing the password keeps this browser signed in and signs the others out;
// "Sign out everywhere" signs out every browser. Also: the security headers of a page and of an API
// response, and no CSP violation on the way.
import { type Browser, capture, createUser, expect, signIn, test, watchCspViolations } from "./fixtures";

async function signedInPage(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, email, password);
  return { context, page };
}

test("account menu: change password, then sign out everywhere ends the other browser's session", async ({
  page: ownerPage,
  browser,
}) => {
  const user = await createUser(ownerPage.request, "viewer");
  const mine = await signedInPage(browser, user.email, user.password);
  const other = await signedInPage(browser, user.email, user.password);
  const cspViolations = watchCspViolations(mine.page);
  const page = mine.page;

  const response = await page.goto("/projects/default");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers).toMatchObject({
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
  });
  const api = (await page.request.get("/api/v1/me")).headers();
  expect(api).toMatchObject({
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
  });

  // Change password: this browser stays signed in, the other one is signed out.
  await page.getByRole("button", { name: `Account: ${user.email}` }).click();
  await expect(page.getByRole("menu", { name: "Account" })).toBeVisible();
  await capture(page, "account-menu");
  await page.getByRole("menuitem", { name: "Change password" }).click();
  const dialog = page.getByRole("dialog", { name: "Change password" });
  await dialog.getByLabel("Current password").fill("not my password");
  await dialog.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
  await dialog.getByLabel("Repeat new password").fill("a brand new passphrase");
  await dialog.getByRole("button", { name: "Change password" }).click();
  await expect(dialog.getByText("this is not your current password")).toBeVisible();
  await dialog.getByLabel("Current password").fill(user.password);
  await dialog.getByRole("button", { name: "Change password" }).click();
  await expect(dialog.getByText("Password changed.")).toBeVisible();
  await capture(page, "account-password-changed");
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.goto("/projects");
  await expect(page.getByRole("heading", { level: 1, name: "Projects" })).toBeVisible();
  await other.page.goto("/projects");
  await expect(other.page).toHaveURL(/\/sign-in/);
  expect((await other.page.request.get("/api/v1/me")).status()).toBe(401);

  // Sign out everywhere, from this browser: both are signed out.
  await signIn(other.page, user.email, "a brand new passphrase");
  await page.getByRole("button", { name: `Account: ${user.email}` }).click();
  await page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
  const confirm = page.getByRole("dialog", { name: "Sign out everywhere" });
  await expect(confirm.getByText("this one included")).toBeVisible();
  await capture(page, "account-sign-out-everywhere");
  await confirm.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await other.page.reload();
  await expect(other.page).toHaveURL(/\/sign-in/);
  expect((await other.page.request.get("/api/v1/me")).status()).toBe(401);

  expect(cspViolations).toEqual([]);
  await mine.context.close();
  await other.context.close();
});
