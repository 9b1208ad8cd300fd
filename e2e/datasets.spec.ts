// The owner uploads a CSV with a bad row (empty expected output) through the upload form with a
// column mapping: the validation report names the row and nothing is stored. The fixed file is
// uploaded, and the dataset page previews its 60 rows a page (25) at a time.
import { capture, createProject, expect, type Page, test } from "./fixtures";

const ROWS = 60;
const BAD_ROW = 7;

/** id,review,sentiment,notes: `ROWS` rows; row `BAD_ROW`'s sentiment is empty unless `fixed`. */
function csv(fixed: boolean): Buffer {
  const lines = ["id,review,sentiment,notes"];
  for (let i = 1; i <= ROWS; i++) {
    const sentiment = i === BAD_ROW && !fixed ? "" : i % 2 ? "positive" : "negative";
    lines.push(
      `r${String(i).padStart(3, "0")},"Review number ${i}, quite ${i % 2 ? "good" : "bad"}",${sentiment},note ${i}`,
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}

/** Chooses the file and maps the columns: id → id, sentiment → expected, review the only input. */
async function chooseAndMap(page: Page, fixed: boolean) {
  await page.getByLabel("File", { exact: true }).setInputFiles({
    name: "reviews-e2e.csv",
    mimeType: "text/csv",
    buffer: csv(fixed),
  });
  const mapping = page.getByRole("group", { name: "Column mapping" });
  await expect(mapping).toBeVisible();
  await mapping.getByLabel("Expected output column").selectOption("sentiment");
  await mapping.getByLabel("Id column (optional)").selectOption("id");
  await expect(mapping.getByRole("checkbox", { name: "review" })).toBeChecked();
  await mapping.getByRole("checkbox", { name: "notes" }).uncheck();
  await expect(mapping.getByRole("checkbox", { name: "sentiment" })).toHaveCount(0);
  await expect(mapping.getByRole("checkbox", { name: "id" })).toHaveCount(0);
}

test("a bad row is named, the fixed file is stored and previewed page by page", async ({ page }) => {
  const slug = await createProject(page.request, "Datasets Project");
  await page.goto(`/projects/${slug}/datasets`);
  await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
  await expect(page.getByText("No datasets yet")).toBeVisible();

  // The file with an empty expected output in row 7: refused, the report names the row.
  await chooseAndMap(page, false);
  await expect(page.getByLabel("Dataset name")).toHaveValue("reviews-e2e");
  await page.getByLabel("Dataset name").fill("Reviews E2E");
  await page.getByRole("button", { name: "Upload dataset" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "1 problem found: nothing was stored" }),
  ).toBeVisible();
  const report = page.getByRole("table", { name: /^Validation report/ });
  await expect(report).toBeVisible();
  const badRow = report.getByRole("row").filter({ hasText: /missing or empty/ });
  await expect(badRow).toHaveCount(1);
  await expect(badRow.getByRole("cell").first()).toHaveText(String(BAD_ROW));
  await expect(badRow.getByRole("cell").nth(1)).toHaveText(String(BAD_ROW + 1)); // the header is line 1
  await expect(badRow).toContainText('"sentiment"');
  await capture(page, "datasets");

  // Nothing was stored.
  const listed = await page.request.get(`/api/v1/projects/${slug}/datasets`);
  expect(listed.status()).toBe(200);
  expect(JSON.stringify(await listed.json())).not.toContain("Reviews E2E");

  // The fixed file: stored, and the page opens the new dataset.
  await chooseAndMap(page, true);
  await expect(page.getByRole("table", { name: /^Validation report/ })).toHaveCount(0);
  await expect(page.getByLabel("Dataset name")).toHaveValue("Reviews E2E");
  await page.getByRole("button", { name: "Upload dataset" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${slug}/datasets/[^/?]+$`));
  await expect(page.getByRole("heading", { level: 1, name: "Reviews E2E" })).toBeVisible();
  await expect(page.getByText(`1 version; latest v1, ${ROWS} rows.`)).toBeVisible();

  // The mapping is recorded with the version.
  const preview = page.getByRole("region", { name: "Version 1" });
  await expect(preview.getByRole("heading", { name: "Version 1" })).toBeVisible();
  const mapped = preview.locator("dl");
  await expect(mapped.locator("div").filter({ hasText: "Input variables" }).locator("dd")).toHaveText(
    "review",
  );
  await expect(mapped.locator("div").filter({ hasText: "Expected output" }).locator("dd")).toHaveText(
    "sentiment",
  );
  await expect(mapped.locator("div").filter({ hasText: "Ids" }).locator("dd")).toHaveText("id");

  // The preview: 25 rows a page, Next / Previous.
  const rowsTable = page.getByRole("table", { name: /^Rows \d+ to \d+ of 60 of version 1$/ });
  const pager = page.getByRole("navigation", { name: "Rows" });
  const body = rowsTable.locator("tbody tr");
  await expect(pager.getByText(`Rows 1–25 of ${ROWS}`)).toBeVisible();
  await expect(body).toHaveCount(25);
  await expect(rowsTable.getByRole("columnheader", { name: "review" })).toBeVisible();
  await expect(rowsTable.getByRole("columnheader", { name: "sentiment (expected)" })).toBeVisible();
  await expect(rowsTable.getByRole("columnheader", { name: "notes" })).toBeVisible();
  await expect(body.first()).toContainText("r001");
  await expect(body.first()).toContainText("Review number 1, quite good");
  await expect(body.first()).toContainText("note 1");
  await expect(body.nth(BAD_ROW - 1)).toContainText("positive");
  await expect(pager.getByRole("button", { name: "Previous" })).toBeDisabled();
  await capture(page, "dataset");

  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager.getByText(`Rows 26–50 of ${ROWS}`)).toBeVisible();
  await expect(body.first()).toContainText("r026");
  await expect(body).toHaveCount(25);
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager.getByText(`Rows 51–60 of ${ROWS}`)).toBeVisible();
  await expect(body).toHaveCount(10);
  await expect(body.last()).toContainText("r060");
  await expect(pager.getByRole("button", { name: "Next" })).toBeDisabled();
  await pager.getByRole("button", { name: "Previous" }).click();
  await expect(pager.getByText(`Rows 26–50 of ${ROWS}`)).toBeVisible();
  await expect(pager.getByRole("button", { name: "Previous" })).toBeEnabled();

  // The list shows the dataset with its mapping.
  await page.getByRole("link", { name: "← Datasets" }).click();
  const listedRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Reviews E2E" }) });
  await expect(listedRow).toContainText("v1");
  await expect(listedRow).toContainText(String(ROWS));
  await expect(listedRow).toContainText("review → sentiment");
});
