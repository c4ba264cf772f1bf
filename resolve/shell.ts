/**
 * Commands msp prints for people to paste (`msp release create`, `msp pg connect --print`, the secret commands of `msp contract`, the handbook and the first-deploy check): every value is
 * shell-quoted, in the command and in the comments around it, so that no value from a spec (an image, a name)
 * can end the line, start another command or leave a comment. One helper for every command that prints
 * commands; test/resolve/shell.test.ts runs its output through a real shell.
 */

/** Characters that never need quoting in POSIX sh (no expansion, globbing, word splitting or comment). */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Characters a single-quoted string would carry raw onto the terminal: C0/C1 controls, DEL, line separators. */

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `\n`, `\x1b`, `\u2028`: a control character written out. */
function escapeControl(c: string): string {
  const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  const code = c.charCodeAt(0);
  return named[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`);
}

/**
 * One argument as the shell must see it: as it is when it holds only safe characters, else in single quotes
 * (`'` written `'\''`); with a control character, in ANSI-C quotes (`$'a\nb'`, POSIX.1-2024, bash, zsh, ksh),
 * so the printed command stays on one line and the argument is still exactly the value.
 */
export function shellQuote(arg: string): string {
  if (SAFE.test(arg)) return arg;
  if (!CONTROL.test(arg)) return `'${arg.replaceAll("'", `'\\''`)}'`;
  let out = "";
  for (const c of arg) out += c === "\\" || c === "'" ? `\\${c}` : CONTROL.test(c) ? escapeControl(c) : c;
  return `$'${out}'`;
}

/** An argument vector as one shell line. */
export const shellLine = (argv: readonly string[]): string => argv.map(shellQuote).join(" ");

/**
 * A comment line, `# text`, whose interpolated values are shell-quoted and in which no control character
 * survives (a newline would end the comment and make the rest a command): use as a tagged template,
 * shellComment`Release ${name} of ${image}`.
 */
export function shellComment(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  let text = strings[0]!;
  values.forEach((v, i) => (text += (typeof v === "number" ? String(v) : shellQuote(v)) + strings[i + 1]!));
  return commentLine(text);
}

/** `# text` for text whose values are already quoted: no control character survives, so it stays one line. */
export function commentLine(text: string): string {
  let line = "";
  for (const c of text) line += CONTROL.test(c) ? escapeControl(c) : c;
  return `# ${line}`;
}
