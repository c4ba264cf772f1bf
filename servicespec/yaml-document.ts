/**
 * YAML documents parsed with a bound on their size in tokens, for every YAML file a user hands the platform.
 *
 * The byte cap (1 MiB) alone does not bound the work: the YAML library spends about 5 µs of CPU per token, and
 * a megabyte of `k: 1` lines, `[[[[…` or `{a: 1, b: 2, …}` is some 200,000 tokens, over two seconds before any
 * validation starts, and a megabyte of hostile YAML is a cheap way to stall a pull-request check. The largest
 * example spec has 235 content tokens, so `MAX_YAML_TOKENS` stops a document a hundred times larger than any
 * real spec, as soon as the lexer reaches the limit (the rest is never parsed): every document the loader
 * accepts takes well under a second (test/robustness/bench-loader.ts measures each shape).
 *
 * The pipeline is the library's own `parseDocument` (lexer, parser, composer), driven token by token through
 * their public APIs so that the tokens can be counted on the way.
 */
import {
  Composer,
  CST,
  Lexer,
  Parser,
  YAMLParseError,
  type Document,
  type LineCounter,
  type ParseOptions,
} from "yaml";

/** Content tokens (keys, values, `:`, `-`, brackets, anchors, aliases, tags): 85 x the largest example spec. */
export const MAX_YAML_TOKENS = 20_000;

/** Tokens that cost parsing time but carry no content: whitespace, comments, stream markers. */
const LAYOUT_TOKENS: ReadonlySet<string> = new Set([
  "space",
  "newline",
  "comment",
  "doc-mode",
  "byte-order-mark",
  "flow-error-end",
]);

/** The message for a document over the cap (digits grouped by hand: toLocaleString loads ICU, 25 ms), reported at the position where the cap was crossed. */
export const TOO_MANY_TOKENS =
  `more than ${String(MAX_YAML_TOKENS).replace(/\B(?=(\d{3})+$)/g, ",")} YAML tokens (keys, values, "-", ":", brackets) by this ` +
  "line: a service spec or a Pulumi file has a few hundred; remove the repeated entries";

export type BoundedParse =
  | { doc: Document.Parsed; tooManyTokens?: undefined }
  /** The document has more than `MAX_YAML_TOKENS` tokens: `offset` is where the limit was crossed. */
  | { doc?: undefined; tooManyTokens: { offset: number } };

/**
 * `parseDocument(text, options)` (one document: a second one is an error, as there), or the offset at which the
 * text exceeds `MAX_YAML_TOKENS` content tokens.
 */
export function parseBoundedDocument(
  text: string,
  options: ParseOptions & { lineCounter: LineCounter; uniqueKeys?: boolean },
): BoundedParse {
  const parser = new Parser(options.lineCounter.addNewLine);
  let over: number | undefined;
  function* tokens() {
    let count = 0;
    let scalarSource = false; // a plain scalar comes as a marker lexeme, then its source
    options.lineCounter.addNewLine(0); // as Parser.parse does: line 1 starts at offset 0
    for (const lexeme of new Lexer().lex(text)) {
      if (scalarSource) scalarSource = false;
      else {
        const type = CST.tokenType(lexeme);
        if (type === "scalar") scalarSource = true;
        if (!type || !LAYOUT_TOKENS.has(type)) count++;
        if (count > MAX_YAML_TOKENS) {
          over = parser.offset;
          return;
        }
      }
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  const composer = new Composer({ ...options, prettyErrors: false });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens(), true, text.length)) {
    if (over !== undefined) break;
    if (!doc) doc = next;
    else {
      // parseDocument's rule: one document per file.
      const message = "Source contains multiple documents; please use YAML.parseAllDocuments()";
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", message));
      break;
    }
  }
  if (over !== undefined) return { tooManyTokens: { offset: over } };
  return { doc: doc! };
}
