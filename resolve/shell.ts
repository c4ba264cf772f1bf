/** Shell quoting for commands msp prints for people to paste: a value from a spec never becomes shell syntax. */

const PLAIN = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** `s` as one POSIX shell word: unchanged when it has only safe characters, else single-quoted. */
export function shellQuote(s: string): string {
  return PLAIN.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
