// The audit log reads as sentences: the first owner (from /setup) is the actor of their own membership,
// a role change shows "Role: editor → admin", the action filter offers every family the code writes
// (credentials and model configurations included), and the entries fit their card at any width.
import { createProject, expect, OWNER, test, unique } from "./fixtures";

test("@phone audit log: readable changes, the first owner as actor, every action in the filter", async ({
  page,
}) => {
  const slug = await createProject(page.request, "Audit Project");
  const email = `${unique("editor")}@example.com`;
  const added = await page.request.post(`/api/v1/projects/${slug}/members`, {
    data: { email, password: "a long enough password", role: "editor" },
  });
  expect(added.status(), await added.text()).toBe(201);
  const { userId } = await added.json();
  const changed = await page.request.patch(`/api/v1/projects/${slug}/members/${userId}`, {
    data: { role: "admin" },
  });
  expect(changed.status(), await changed.text()).toBe(200);

  await page.goto(`/projects/${slug}/audit`);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const entries = page.getByRole("region", { name: "Entries" });
  const roleChange = entries.getByRole("listitem").filter({ hasText: "Role changed" });
  await expect(roleChange).toContainText(`Members · Role changed: ${email}`);
  await expect(roleChange).toContainText(`by ${OWNER.email}`);
  await expect(roleChange.getByRole("definition")).toHaveText(/^editor\s*→\s*changed to\s*admin$/);
  await expect(roleChange.getByRole("term")).toHaveText("Role");
  await expect(entries).not.toContainText("role:"); // no raw key:value dump

  // Every family the code writes can be chosen, credentials and model configurations included.
  const filter = page.getByLabel("Action");
  for (const name of ["Provider credentials: all", "Model configurations: all"])
    await expect(filter.getByRole("option", { name, exact: true })).toHaveCount(1);
  for (const action of ["credential.changed", "model_config.updated", "prompt.label_rolled_back"])
    await expect(filter.locator(`option[value="${action}"]`)).toHaveCount(1);
  await filter.selectOption({ label: "Members: all" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=member\./);
  await expect(entries.getByRole("listitem").filter({ hasText: "Members · Added" })).toHaveCount(2);

  // Nothing sticks out of the card (nor the page) at this width.
  const overflow = await entries.evaluate((card) => card.scrollWidth - card.clientWidth);
  expect(overflow, "the entries overflow their card").toBeLessThanOrEqual(0);

  // The first owner, created through /setup, added themselves to the CLI's project.
  await page.goto("/projects/default/audit?action=member.added");
  const ownerAdded = page.getByRole("listitem").filter({ hasText: `Members · Added: ${OWNER.email}` });
  await expect(ownerAdded).toContainText(`by ${OWNER.email}`);
  await expect(ownerAdded).not.toContainText("not signed in");
});
