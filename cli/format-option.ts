/** `--format text|json|sarif` of msp validate and msp policy check: text for people, JSON and SARIF for tools. */
import { Option } from "commander";

export const FORMATS = ["text", "json", "sarif"] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const formatOption = () =>
  new Option("--format <format>", "output format: text, json (stable shape) or sarif (SARIF 2.1.0)")
    .choices(FORMATS)
    .default("text");
