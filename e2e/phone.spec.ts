// The shell on a 390×844 phone (the "phone" project of playwright.config.ts): the header stays on one
// line, the project navigation folds into a "Menu" disclosure that opens and navigates, and no project
// page — every page of the menu, and a detail page behind each list — scrolls sideways.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "./fixtures";

const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");

/** Fails the test (and goes on) when the page is wider than the phone; saves a full-page screenshot. */
async function expectFitsPhone(page: Page, name: string): Promise<void> {
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `phone-${name}.png`), fullPage: true });
  const widths = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    // The innermost elements that reach past the right edge, outside any box that scrolls or clips
    // them itself: what to fix when the page is too wide.
    const tooWide = (el: Element) => el.getBoundingClientRect().right > client + 1;
    const contained = (el: Element) => {
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement)
        if (getComputedStyle(box).overflowX !== "visible") return true;
      return false;
    };
    // Its box, or content that spills out of its box (a long word, a line that does not wrap).
    const sticksOut = (el: Element) =>
      !contained(el) && (tooWide(el) || el.getBoundingClientRect().left + el.scrollWidth > client + 1);
    const wide = [...document.querySelectorAll("body *")].filter(
      (el) => sticksOut(el) && ![...el.children].some(sticksOut),
    );
    const describe = (el: Element) =>
      `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") ?? ""}"> ${el.textContent?.trim().slice(0, 40) ?? ""}`;
    return { scroll: document.documentElement.scrollWidth, client, wide: wide.slice(0, 3).map(describe) };
  });
  // Soft: every page is checked and each one that is too wide is reported.
  expect
    .soft(
      widths.scroll,
      `${name} (${page.url()}) scrolls sideways at ${widths.client}px; too wide: ${widths.wide.join(" | ")}`,
    )
    .toBeLessThanOrEqual(widths.client);
}

const slugOf = (href: string) => href.split("/").filter(Boolean).slice(2).join("-") || "overview";

/** The project navigation's links (read even while the menu is folded away). */
function navLinks(page: Page): Promise<{ href: string; label: string }[]> {
  return page
    .locator('nav[aria-label="Project"] a')
    .evaluateAll((anchors) =>
      anchors.map((a) => ({ href: a.getAttribute("href") ?? "", label: a.textContent?.trim() ?? "" })),
    );
}

test.beforeEach(({ isMobile }) => {
  test.skip(!isMobile, "the phone project runs this (390×844, touch)");
});

test("@phone the shell fits a phone: one-line header, the project menu opens, navigates and closes", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/projects");
  await expectFitsPhone(page, "projects");

  await page.goto("/projects/default");
  const headerBox = await page.getByRole("banner").boundingBox();
  // One line of header (logo, API link, account, sign out): about 57 px; a wrapped one is taller.
  expect(headerBox?.height, "the header wraps onto a second line").toBeLessThan(70);

  // The page starts with its own heading: the navigation is folded away behind the menu button.
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Project" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  const heading = await page.getByRole("heading", { level: 1 }).boundingBox();
  expect(heading?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(844 / 2);

  await menu.tap();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Project" })).toBeVisible(); // the switcher
  await page.screenshot({ path: path.join(SCREENSHOTS, "phone-menu-open.png") });
  // Escape closes it and gives the focus back to the button.
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  const links = await navLinks(page);
  expect(links.length).toBeGreaterThanOrEqual(9);
  for (const link of links) {
    await menu.tap();
    await nav.getByRole("link", { name: link.label, exact: true }).tap();
    await expect(page).toHaveURL(new RegExp(`${link.href}$`));
    // Following a link closes the menu (the current page's too): the page is what shows.
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(page.locator('nav[aria-label="Project"] a[aria-current="page"]')).toHaveText(link.label);
    await expectFitsPhone(page, slugOf(link.href));
  }
});

test("@phone the detail pages behind the project's lists fit a phone", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/projects/default");
  const details: { href: string; name: string }[] = [];
  for (const link of await navLinks(page)) {
    if (link.href.split("/").length <= 3) continue; // the overview
    await page.goto(link.href);
    const hrefs = await page
      .locator(`main a[href^="${link.href}/"]`)
      .evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href") ?? ""));
    const href = hrefs.find((h) => !h.endsWith("/new"));
    if (href) details.push({ href, name: `${slugOf(link.href)}-detail` });
  }
  // The seeded project has at least a run, a dataset and a task to open.
  expect(details.length).toBeGreaterThanOrEqual(3);
  for (const detail of details) {
    await page.goto(detail.href);
    await expectFitsPhone(page, detail.name);
  }
});
