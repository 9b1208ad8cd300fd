import { describe, expect, it } from "vitest";
import { type DatasetFormat, type DatasetItem, readDatasetItems } from "./dataset-file";

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, format: DatasetFormat, size: number): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  for await (const item of readDatasetItems(chunked(text, size), format, "f")) items.push(item);
  return items;
}

describe("readDatasetItems", () => {
  const expected = [
    { row: 1, line: 2, values: { text: "a, b", label: "x" } },
    { row: 2, line: 4, values: { text: "c", label: "y" } },
  ];

  it("reads the same rows from CSV, JSONL and JSON whatever the chunk borders", async () => {
    const files: [DatasetFormat, string, typeof expected][] = [
      ["csv", '\uFEFFtext,label\r\n"a, b",x\r\n\r\nc,y', expected],
      ["jsonl", '\uFEFF\n{"text":"a, b","label":"x"}\r\n\n{"text":"c","label":"y"}', expected],
      ["json", '[\n{"text":"a, b","label":"x"},\n\n{"text":"c","label":"y"}]', expected],
    ];
    for (const [format, text, rows] of files) {
      for (const size of [1, 2, 5, 1000])
        expect(await read(text, format, size), `${format}/${size}`).toEqual(rows);
    }
  });

  it("reports unreadable rows and goes on; a broken file throws naming the line", async () => {
    expect(await read("a,b\n1\n2,3\n", "csv", 3)).toEqual([
      { row: 1, line: 2, problem: "expected 2 fields, found 1" },
      { row: 2, line: 3, values: { a: "2", b: "3" } },
    ]);
    const jsonl = await read('{"a":1}\nnope\n[2]\n', "jsonl", 4);
    expect(jsonl.map((i) => ("problem" in i ? i.problem.slice(0, 14) : "ok"))).toEqual([
      "ok",
      "not valid JSON",
      "expected a JSO",
    ]);
    await expect(read('a,b\n"x,y\n', "csv", 2)).rejects.toThrow("f line 2: unterminated quoted field");
    await expect(read("a,a\n1,2\n", "csv", 2)).rejects.toThrow('f line 1: column "a" appears twice');
    await expect(read('{"a":1}', "json", 2)).rejects.toThrow("f line 1: expected a JSON array of objects");
  });
});
