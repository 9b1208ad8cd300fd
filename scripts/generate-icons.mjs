#!/usr/bin/env node
// Draws the app's icons from app/icon.svg (the one source of the mark) into public/: favicon.ico
// (16, 32 and 48 px PNG images in an ICO container), apple-touch-icon.png (180 px, no transparency: iOS
// fills it with black) and the web manifest's 192 and 512 px icons. The SVG is rendered by the same
// Chromium the browser tests use (CHROMIUM_PATH or /usr/bin/chromium), so nothing is downloaded.
// Run after changing app/icon.svg: `node scripts/generate-icons.mjs`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const root = path.resolve(import.meta.dirname, "..");
const svg = readFileSync(path.join(root, "app/icon.svg"), "utf8");
const BRAND = "#4338ca"; // the icon's own background colour

/** Packs PNG images into an ICO file (PNG entries: every browser and Windows since Vista read them). */
export function icoFromPngs(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // width (0 means 256)
    entry.writeUInt8(size >= 256 ? 0 : size, 1); // height
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

async function render(page, size, background) {
  await page.setViewportSize({ width: size, height: size });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  await page.setContent(
    `<body style="margin:0;background:${background ?? "transparent"}"><img src="${src}" width="${size}" height="${size}" style="display:block"></body>`,
  );
  await page.locator("img").evaluate((img) => img.decode());
  return page.screenshot({ omitBackground: !background, clip: { x: 0, y: 0, width: size, height: size } });
}

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const out = (name) => path.join(root, "public", name);
  const favicon = [];
  for (const size of [16, 32, 48]) favicon.push({ size, png: await render(page, size) });
  writeFileSync(out("favicon.ico"), icoFromPngs(favicon));
  writeFileSync(out("apple-touch-icon.png"), await render(page, 180, BRAND));
  writeFileSync(out("icon-192.png"), await render(page, 192));
  writeFileSync(out("icon-512.png"), await render(page, 512));
  await browser.close();
  console.log("wrote public/favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png");
}
