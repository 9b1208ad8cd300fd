// public/favicon.ico is a real icon file made from app/icon.svg: an ICO directory of PNG images whose
// sizes match their entries; the other icons are PNGs of the sizes their names and the manifest give.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { icoFromPngs } from "./generate-icons.mjs";

const PUBLIC = path.resolve(import.meta.dirname, "../public");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function readIco(ico: Buffer): { size: number; png: Buffer }[] {
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const length = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    return { size: ico.readUInt8(entry) || 256, png: ico.subarray(offset, offset + length) };
  });
}

describe("icons", () => {
  it("favicon.ico holds 16, 32 and 48 px PNG images, each the size its entry says", () => {
    const images = readIco(readFileSync(path.join(PUBLIC, "favicon.ico")));
    expect(images.map((image) => image.size)).toEqual([16, 32, 48]);
    for (const image of images) expect(pngSize(image.png)).toEqual({ width: image.size, height: image.size });
  });

  it("icoFromPngs writes a directory that reads back", () => {
    const png = readFileSync(path.join(PUBLIC, "icon-192.png"));
    const images = readIco(icoFromPngs([{ size: 192, png }]));
    expect(images).toHaveLength(1);
    expect(images[0]?.png.equals(png)).toBe(true);
  });

  it("the manifest's icons and the touch icon are PNGs of their sizes", () => {
    const manifest = JSON.parse(readFileSync(path.join(PUBLIC, "manifest.webmanifest"), "utf8"));
    for (const icon of manifest.icons as { src: string; sizes: string; type: string }[]) {
      if (icon.type !== "image/png") continue;
      const [width, height] = icon.sizes.split("x").map(Number);
      expect(pngSize(readFileSync(path.join(PUBLIC, icon.src)))).toEqual({ width, height });
    }
    expect(pngSize(readFileSync(path.join(PUBLIC, "apple-touch-icon.png")))).toEqual({
      width: 180,
      height: 180,
    });
  });
});
