/**
 * GitHub Actions reads every line a step prints for workflow commands: a line that starts with `::` once leading
 * whitespace is trimmed (`::add-mask::`, `::warning`, `::stop-commands::`), and `##[` anywhere in a line (the
 * older form). Spec text reaches msp's output (resource names from owners and names, alert text, values in
 * `--diff`), and the runner runs such lines, also for fork pull requests (issue 23, finding 5). So everything
 * msp writes to standard output and error passes through `neutralise`, the output boundary:
 *
 * - a line whose first non-blank characters are `::` gets a space between the colons (`: :add-mask::x`);
 * - `##[` becomes `##\u005b` (the JSON escape of `[`: inside a JSON string, where `##[` can only occur in JSON
 *   output, it is the same string, so `--format json`, SARIF and exports keep their meaning).
 *
 * The runner's parser: actions/runner src/Runner.Worker/ActionCommandManager.cs and
 * src/Runner.Common/ActionCommand.cs (TryParseV2: `message.TrimStart().StartsWith("::")`; TryParse:
 * `message.IndexOf("##[")`); lines end at \n, \r\n or \r. Writes may split a line anywhere, so each stream keeps
 * what it needs of the line so far.
 */

/** Where a stream is in its current line. */
export interface LineState {
  /** Only whitespace since the line began (a `::` here would be a command). */
  blank: boolean;
  /** The line so far is blank then one `:`. */
  colon: boolean;
  /** How many `#` end the text so far (0, 1 or 2). */
  hashes: number;
}

export const newLineState = (): LineState => ({ blank: true, colon: false, hashes: 0 });

/** .NET's TrimStart trims Unicode white space; JavaScript's \s is a superset of it (U+FEFF besides). */
const BLANK = /\s/;

/** `text` with every workflow command made inert; `state` carries the line across writes. */
export function neutralise(text: string, state: LineState): string {
  let out = "";
  for (const c of text) {
    if (c === "\n" || c === "\r") {
      Object.assign(state, newLineState());
      out += c;
      continue;
    }
    if (c === ":" && state.colon) out += " ";
    if (c === "[" && state.hashes >= 2) out += "\\u005b";
    else out += c;
    state.colon = state.blank && c === ":";
    state.blank = state.blank && c !== ":" && BLANK.test(c);
    state.hashes = c === "#" ? Math.min(state.hashes + 1, 2) : 0;
  }
  return out;
}

/** Passes every later write to `stream` through `neutralise` (strings and UTF-8 buffers alike). Idempotent. */
export function guardWorkflowCommands(stream: NodeJS.WriteStream): void {
  const marked = stream as NodeJS.WriteStream & { [GUARDED]?: true };
  if (marked[GUARDED]) return;
  marked[GUARDED] = true;
  const state = newLineState();
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = (chunk: unknown, ...rest: unknown[]) => {
    const text =
      typeof chunk === "string"
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString("utf8")
          : undefined;
    if (text === undefined) return write(chunk, ...rest);
    // An encoding argument described the original chunk; the neutralised text is a plain string.
    const args = typeof rest[0] === "string" ? rest.slice(1) : rest;
    return write(neutralise(text, state), ...args);
  };
}

const GUARDED = Symbol("msp.workflowCommandGuard");
