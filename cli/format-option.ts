/**
 * `--format` of the commands with machine-readable output: text for people, JSON and SARIF for tools, Markdown
 * for pull requests. Each command offers the formats it has (msp validate and msp policy check: text, json,
 * sarif; msp diff: text, json, markdown; msp fleet, affected and release subscriptions: text, json; msp
 * contract: text, json, markdown), and Commander refuses any other value (exit 2).
 */
import { Option } from "commander";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type OutputFormat = (typeof FORMATS)[number];

const MEANING: Record<OutputFormat, string> = {
  text: "text",
  json: "json (stable shape)",
  sarif: "sarif (SARIF 2.1.0)",
  markdown: "markdown (for a pull request)",
};

/** `meaning` says what a format is where a command's differs from the common one. */
export const formatOption = (
  formats: readonly OutputFormat[] = ["text", "json", "sarif"],
  meaning: Partial<Record<OutputFormat, string>> = {},
) =>
  new Option(
    "--format <format>",
    `output format: ${formats
      .map((f) => meaning[f] ?? MEANING[f])
      .join(", ")
      .replace(/, ([^,]*)$/, " or $1")}`,
  )
    .choices(formats)
    .default("text");
