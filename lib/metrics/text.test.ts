import { describe, expect, it } from "vitest";
import {
  collapseWhitespace,
  preview,
  squadTokens,
  stripSurroundingQuotes,
  wordAndPunctuationTokens,
  wordTokens,
} from "./text";

describe("text normalization", () => {
  it("collapses every run of whitespace to one space and trims", () => {
    expect(collapseWhitespace("  New \t York\n\ncity ")).toBe("New York city");
  });

  it("strips one pair of matching quotes of each kind, and nothing else", () => {
    const pairs = [
      ['"', '"'],
      ["'", "'"],
      ["`", "`"],
      ["“", "”"],
      ["‘", "’"],
      ["«", "»"],
    ];
    for (const [open, close] of pairs) {
      expect(stripSurroundingQuotes(`${open}yes${close}`)).toBe("yes");
      // An opening quote without its closing one is text.
      expect(stripSurroundingQuotes(`${open}yes`)).toBe(`${open}yes`);
      expect(stripSurroundingQuotes(`${open}yes!`)).toBe(`${open}yes!`);
    }
    expect(stripSurroundingQuotes("”yes“")).toBe("”yes“");
    expect(stripSurroundingQuotes("yes")).toBe("yes");
    expect(stripSurroundingQuotes("the value is undefined")).toBe("the value is undefined");
  });

  it("treats a lone quote as text and an empty quoted text as empty", () => {
    expect(stripSurroundingQuotes('"')).toBe('"');
    expect(stripSurroundingQuotes('""')).toBe("");
    expect(stripSurroundingQuotes("")).toBe("");
  });

  it("SQuAD tokens drop each article, punctuation and empty tokens", () => {
    expect(squadTokens("A cat, an owl and the dog")).toEqual(["cat", "owl", "and", "dog"]);
    expect(squadTokens("  Denver  ")).toEqual(["denver"]);
    expect(squadTokens(" ... ")).toEqual([]);
  });

  it("word tokens are runs of letters, marks and digits, lowercased unless case-sensitive", () => {
    expect(wordTokens("Paris, FRANCE: 2024!", false)).toEqual(["paris", "france", "2024"]);
    expect(wordTokens("Paris, FRANCE", true)).toEqual(["Paris", "FRANCE"]);
    // Lowercasing, not uppercasing: "ß" stays one letter (uppercase would make it "SS").
    expect(wordTokens("Straße", false)).toEqual(["straße"]);
    expect(wordTokens("?!", false)).toEqual([]);
  });

  it("BLEU tokens keep each punctuation mark or symbol as a token of its own", () => {
    expect(wordAndPunctuationTokens("Hi, there! 3+4=7 €", false)).toEqual([
      "hi",
      ",",
      "there",
      "!",
      "3",
      "+",
      "4",
      "=",
      "7",
      "€",
    ]);
    expect(wordAndPunctuationTokens("Café", true)).toEqual(["Café"]);
    expect(wordAndPunctuationTokens("Straße", false)).toEqual(["straße"]);
    expect(wordAndPunctuationTokens("   ", false)).toEqual([]);
  });

  it("previews values for reasons, shortened to max characters", () => {
    expect(preview("Paris")).toBe('"Paris"');
    expect(preview(undefined)).toBe("missing");
    expect(preview(null)).toBe("null");
    expect(preview(12.5)).toBe("12.5");
    expect(preview({ a: [1] })).toBe('{"a":[1]}');
    const exactly80 = "x".repeat(78); // 80 characters once quoted
    expect(preview(exactly80)).toBe(`"${exactly80}"`);
    const long = preview("y".repeat(100));
    expect(long).toHaveLength(80);
    expect(long).toBe(`"${"y".repeat(78)}…`);
    expect(preview("abcdef", 5)).toBe('"abc…');
  });
});
