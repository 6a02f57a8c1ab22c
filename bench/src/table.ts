/**
 * Prints a plain-text table: a title, a header row, aligned columns, notes. With `"figures-right"`, cells
 * that are figures are right-aligned so their magnitudes line up; `"left"` for columns of prose.
 */
export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  notes: readonly string[] = [],
  align: "figures-right" | "left" = "figures-right",
): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  // A cell that starts with a digit, a sign or ">" is a figure: right-aligned, so magnitudes line up.
  const figure = /^[-+>≈~]?\s?\d/;
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        align === "figures-right" && figure.test(cell)
          ? cell.padStart(widths[column]!)
          : cell.padEnd(widths[column]!),
      )
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
  for (const note of notes) console.log(`  ${note}`);
}

interface PrintedTable {
  title: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  notes: readonly string[];
}

const printed: PrintedTable[] = [];

/** Records a table for {@link markdownReport} as well as printing it. */
export function reportTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  notes: readonly string[] = [],
  align: "figures-right" | "left" = "figures-right",
): void {
  printed.push({ title, header, rows, notes });
  printTable(title, header, rows, notes, align);
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Every table printed so far, as Markdown (for the docs site, which includes the file). */
export function markdownReport(heading: string): string {
  const parts = [heading];
  for (const table of printed) {
    parts.push(`### ${cell(table.title.trim())}`);
    parts.push(
      [
        `| ${table.header.map(cell).join(" | ")} |`,
        `| ${table.header.map(() => "---").join(" | ")} |`,
        ...table.rows.map(
          (row) => `| ${table.header.map((_, i) => cell(row[i] ?? "")).join(" | ")} |`,
        ),
      ].join("\n"),
    );
    if (table.notes.length) parts.push(table.notes.map((note) => `- ${cell(note)}`).join("\n"));
  }
  return `${parts.join("\n\n")}\n`;
}
