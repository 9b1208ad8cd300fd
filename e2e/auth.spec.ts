// Signing out and in (a wrong password shows an error and keeps you out), then creating a project. As a
// user of its own: signing out ends every session of that user, so never the shared owner's.
import { capture, createUser, expect, signIn, test, unique, watchCspViolations } from "./fixtures";

test("sign out, a wrong password is refused with a message, sign in, create a project", async ({
  page: ownerPage,
  browser,
}) => {
  const user = await createUser(ownerPage.request, "editor");
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const cspViolations = watchCspViolations(page);
  await signIn(page, user.email, user.password);

  await page.goto("/projects");
  await expect(page.getByRole("heading", { level: 1, name: "Projects" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // Signed out: pages send you to sign in and the API answers 401.
  await page.goto("/projects/default");
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/v1/projects")).status()).toBe(401);

  // An empty form is answered in the page, next to its fields; nothing is sent to the server.
  const signInCalls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/auth/callback/")) signInCalls.push(request.url());
  });
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your email address.")).toHaveCount(0);
  await expect(page.getByText("Enter your password.")).toBeVisible();
  expect(signInCalls).toEqual([]);

  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await capture(page, "sign-in-error");

  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("link", { name: "Default" })).toBeVisible();

  await page.goto("/projects");
  const name = unique("Support Bot");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByLabel("Slug")).toHaveValue(name.toLowerCase().replace(/[^a-z0-9]+/g, "-"));
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/support-bot-/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("No runs yet.")).toBeVisible();
  await capture(page, "overview-empty");

  await page.goto("/projects");
  await expect(page.getByRole("link", { name })).toBeVisible();
  await capture(page, "projects");
  expect(cspViolations).toEqual([]);
  await context.close();
});
