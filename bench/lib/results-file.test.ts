import { describe, expect, test } from "vitest";
import { replaceSection, sectionMarkers } from "./results-file.ts";

const { begin, end } = sectionMarkers("parser");

describe("replaceSection", () => {
  test("replaces only the text between the section's markers", () => {
    const text = `# Results\n\nsummary\n\n${begin}\nold\n${end}\n\n${sectionMarkers("cli").begin}\ncli\n${sectionMarkers("cli").end}\n`;
    expect(replaceSection(text, "parser", "new\n")).toBe(
      `# Results\n\nsummary\n\n${begin}\nnew\n${end}\n\n${sectionMarkers("cli").begin}\ncli\n${sectionMarkers("cli").end}\n`,
    );
  });

  test("appends the section with its markers when the file has none", () => {
    expect(replaceSection("# Results\n\nsummary\n", "parser", "table")).toBe(`# Results\n\nsummary\n\n${begin}\ntable\n${end}\n`);
  });

  test("refuses a file with an end marker and no begin marker", () => {
    expect(() => replaceSection(`text\n${end}\n`, "parser", "table")).toThrow('the markers of section "parser" are broken');
  });
});
