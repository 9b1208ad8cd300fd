// The owner of a fresh project stores provider credentials on the settings page and only ever sees
// "Set" and a fingerprint afterwards: the secret is absent from the page (after saving and after a
// reload) and from the credentials API. Then a model and a metric configuration are added through
// their forms and listed.
import { capture, createProject, expect, type Locator, type Page, test } from "./fixtures";

const OPENAI_KEY = "sk-test-e2e-SECRET-123456";
const COMPAT_URL = "http://127.0.0.1:11434/v1";
const COMPAT_KEY = "compat-e2e-SECRET-abcdef";
const VLLM_URL = "http://127.0.0.1:8000/v1";

/** The list item of one provider in the "Provider credentials" section. */
function provider(page: Page, label: string): Locator {
  return page
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { level: 3, name: label, exact: true }) });
}

async function expectNoSecrets(page: Page) {
  const html = await page.content();
  expect(html).not.toContain(OPENAI_KEY);
  expect(html).not.toContain(COMPAT_KEY);
}

test("credentials are write-only; model and metric configurations are added", async ({ page }) => {
  const slug = await createProject(page.request, "Settings Project");
  await page.goto(`/projects/${slug}/settings`);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  // OpenAI: an API key.
  const openai = provider(page, "OpenAI");
  await expect(openai.getByText("Not set", { exact: true })).toBeVisible();
  await openai.getByText("Set a credential").click();
  await openai.getByLabel("API key", { exact: true }).fill(OPENAI_KEY);
  await openai.getByRole("button", { name: "Save credential" }).click();
  await expect(openai.getByText(/^Saved\. The value is stored encrypted/)).toBeVisible();
  await expect(openai.getByText("Set", { exact: true })).toBeVisible();
  await expect(openai.getByText(/^[0-9a-f]{8}$/)).toBeVisible();
  await expect(openai.getByLabel("API key", { exact: true })).toHaveValue("");

  // An OpenAI-compatible server: a base URL and a key.
  const compat = provider(page, "OpenAI-compatible server");
  await compat.getByText("Set a credential").click();
  await compat.getByLabel("Base URL", { exact: true }).fill(COMPAT_URL);
  await compat.getByLabel("API key (optional)").fill(COMPAT_KEY);
  await compat.getByRole("button", { name: "Save credential" }).click();
  await expect(compat.getByText(/^Saved\. The value is stored encrypted/)).toBeVisible();
  await expect(compat.getByText("Set", { exact: true })).toBeVisible();
  await expect(compat.getByText(/^[0-9a-f]{8}$/)).toBeVisible();
  await expect(compat.getByLabel("API key (optional)")).toHaveValue("");
  await expectNoSecrets(page);

  // A named credential: a second server, bound to its own endpoint.
  await page.getByText("Add a named credential").click();
  const named = page.locator("form").filter({ has: page.getByLabel("Provider", { exact: true }) });
  await named.getByLabel("Name", { exact: true }).fill("local-vllm");
  await named.getByLabel("Provider", { exact: true }).selectOption("openai-compatible");
  await named.getByLabel("Base URL", { exact: true }).fill(VLLM_URL);
  await named.getByRole("button", { name: "Save credential" }).click();
  const vllm = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { level: 3, name: /^local-vllm/ }) });
  await expect(vllm.getByText(VLLM_URL)).toBeVisible();

  // After a reload: still "Set" with a fingerprint, and a form to replace it; no value anywhere.
  await page.reload();
  for (const item of [provider(page, "OpenAI"), provider(page, "OpenAI-compatible server")]) {
    await expect(item.getByText("Set", { exact: true })).toBeVisible();
    await expect(item.getByText(/^[0-9a-f]{8}$/)).toBeVisible();
    await expect(item.getByText("Replace the credential")).toBeVisible();
  }
  await expect(provider(page, "Anthropic").getByText("Not set", { exact: true })).toBeVisible();
  await expectNoSecrets(page);

  // The API reports the status only.
  const res = await page.request.get(`/api/v1/projects/${slug}/credentials`);
  expect(res.status()).toBe(200);
  const json = await res.text();
  expect(json).not.toContain(OPENAI_KEY);
  expect(json).not.toContain(COMPAT_KEY);
  expect(json).toContain('"openai"');
  expect(json).toMatch(/"fingerprint":"[0-9a-f]{8}"/);

  // A model configuration.
  await expect(page.getByText("No model configurations yet")).toBeVisible();
  await page.getByText("New model configuration").click();
  const modelForm = page
    .locator("form")
    .filter({ has: page.getByRole("button", { name: "Add model configuration" }) });
  await modelForm.getByLabel("Name", { exact: true }).fill("fast-task-model");
  await modelForm.getByLabel("Model (provider:model)").fill("openai:gpt-4o-mini");
  await modelForm.getByLabel("Temperature").fill("0.2");
  await modelForm.getByLabel("Max output tokens").fill("256");
  await modelForm.getByLabel("Concurrency").fill("4");
  await modelForm.getByRole("button", { name: "Add model configuration" }).click();
  const modelItem = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { level: 3, name: "fast-task-model", exact: true }) });
  await expect(modelItem).toBeVisible();
  await expect(modelItem.getByText("openai:gpt-4o-mini", { exact: true })).toBeVisible();
  await expect(modelItem.getByText(/temperature 0\.2 · max tokens 256 · concurrency 4/)).toBeVisible();
  await expect(page.getByText("No model configurations yet")).toHaveCount(0);

  // A configuration names a credential (never an endpoint); one of another provider is refused, named.
  await modelForm.getByLabel("Name", { exact: true }).fill("local-llama");
  await modelForm.getByLabel("Model (provider:model)").fill("openai:llama3");
  await modelForm.getByLabel("Credential").selectOption("local-vllm");
  await modelForm.getByRole("button", { name: "Add model configuration" }).click();
  await expect(modelForm.getByText(/"local-vllm" is a openai-compatible credential/)).toBeVisible();
  await modelForm.getByLabel("Model (provider:model)").fill("openai-compatible:llama3");
  await modelForm.getByRole("button", { name: "Add model configuration" }).click();
  await expect(page.getByText("openai-compatible:llama3 · credential local-vllm")).toBeVisible();
  await expect(vllm.getByText(/used by local-llama/)).toBeVisible();

  // A metric configuration.
  await expect(page.getByText("No metric configurations yet")).toBeVisible();
  await page.getByText("New metric configuration").click();
  const metricForm = page
    .locator("form")
    .filter({ has: page.getByRole("button", { name: "Add metric configuration" }) });
  await metricForm.getByLabel("Name", { exact: true }).fill("strict-exact");
  await metricForm.getByLabel("Metric", { exact: true }).selectOption("exact_match");
  await metricForm.getByLabel("Weight").fill("2");
  await metricForm.getByLabel("Target score (0–1, optional)").fill("0.9");
  await metricForm.getByLabel("Options (JSON)").fill('{"caseSensitive": true}');
  await metricForm.getByRole("button", { name: "Add metric configuration" }).click();
  const metricItem = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { level: 3, name: "strict-exact", exact: true }) });
  await expect(metricItem).toBeVisible();
  await expect(metricItem.getByText(/exact_match · weight 2 · target 0\.9/)).toBeVisible();
  await expect(metricItem.getByText('{"caseSensitive":true}')).toBeVisible();

  // Both configurations survive a reload; the secrets are still nowhere.
  await page.reload();
  await expect(page.getByRole("heading", { level: 3, name: "fast-task-model", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "strict-exact", exact: true })).toBeVisible();
  await expectNoSecrets(page);
  await capture(page, "settings");
});
