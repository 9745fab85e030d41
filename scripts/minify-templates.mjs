// Build-time minification of the static text inside Lit's `css` and `html` tagged templates.
//
// The JS minifier leaves template literals alone (their text is a runtime value), so the
// indentation and newlines of every stylesheet and template ship as they were typed. This rewrites
// only the literal parts of `css`…` / html`…`` templates whose tag is imported from Lit, parsing
// the module with TypeScript so `${…}` expressions (nested templates, backticks, braces, strings)
// are never touched: an expression's source is copied byte for byte.
//
//   CSS:  comments dropped, whitespace runs collapsed, spaces around `{ } ; , > !` and after `:`
//         and `(` dropped, the `;` before `}` dropped; strings, `calc(a + b)` spacing and the space
//         before `(` (`and (…)`) kept.
//   HTML: in text, a whitespace run next to a block element's tag (`<div>`, `</p>`, …) goes, and
//         any other becomes one newline if it had one, else one space (the same rendering under
//         `white-space: normal | nowrap | pre-line`); inside a tag, one space
//         between attributes, none before `>` (one before `/>`); attribute values, comments and
//         the contents of <pre>, <textarea>, <script>, <style>, <title> are copied as they are.
//
// Why hand-written: measured on the same build against minify-literals 2.2.0 (html-minifier-next
// and Lightning CSS), this saves 2.0 KB gzip on dist/parley.js (84464 → 82369 B). minify-literals
// as it comes saves 1.1 KB: it skips the HTML of any module that mentions unsafeHTML (post,
// composer, quote) and the CSS of any that mentions unsafeCSS (tokens, composer, quote styles).
// Made to include those, it saves as much as this, but breaks two stylesheets: Lightning CSS
// reorders declarations while Lit's expressions stay where they are, so in `.children` and
// `.content blockquote` each declaration got a neighbour's token value (test/styles/
// token-rules.test.ts catches it; the rest of the browser suite passes). Guarded to leave a
// stylesheet alone when its expressions would move, it saves 1.3 KB, 0.7 KB less than this.
//
// Used by scripts/build.mjs (through scripts/bundle-config.mjs) as a Vite plugin. Tested by
// scripts/minify-templates.test.mjs (`npm run test:scripts`), and `npm run test:minified` runs the
// whole browser suite against minified templates.
import ts from 'typescript';

const LIT_MODULES = /^(?:lit|lit-html|lit-element|@lit\/reactive-element)(?:\/.*)?$/;
const LIT_IMPORT = /['"](?:lit|lit-html|lit-element|@lit\/reactive-element)(?:\/[^'"]*)?['"]/;
const WS = /[ \t\n\r\f]/;

/** Minifies the literal parts of a `css` template; `parts` are raw source text, one more than expressions. */
export function minifyCss(parts) {
  const DROP_AFTER = new Set(['{', '}', ';', ',', '>', ':', '(']);
  const DROP_BEFORE = new Set(['{', '}', ';', ',', '>', ')', '!']);
  const EXPR = '\u0000'; // "the last thing emitted was an expression": unknown, so keep spaces
  const out = [];
  let verbatim = null; // a comment or string that runs across an expression: its closer
  let last = '';
  for (let p = 0; p < parts.length; p++) {
    const src = parts[p];
    let res = '';
    let pending = false;
    let i = 0;
    if (p > 0) last = EXPR;
    if (verbatim) {
      const end = verbatim === '*/' ? src.indexOf('*/') : findQuoteEnd(src, 0, verbatim);
      if (end < 0) {
        out.push(src);
        continue;
      }
      i = verbatim === '*/' ? end + 2 : end + 1;
      res = src.slice(0, i);
      last = verbatim === '*/' ? EXPR : verbatim;
      verbatim = null;
    }
    const emit = (text, first) => {
      if (pending && last !== '' && !DROP_AFTER.has(last) && !DROP_BEFORE.has(first)) res += ' ';
      pending = false;
      if (first === '}' && res.endsWith(';') && last === ';') res = res.slice(0, -1);
      res += text;
    };
    while (i < src.length) {
      const c = src[i];
      if (WS.test(c)) {
        pending = true;
        i++;
      } else if (c === '/' && src[i + 1] === '*') {
        const end = src.indexOf('*/', i + 2);
        if (end < 0) {
          // A comment around an expression: keep it, it cannot be dropped safely.
          emit(src.slice(i), '/');
          verbatim = '*/';
          i = src.length;
          last = EXPR;
        } else {
          pending = true; // a comment separates tokens like whitespace does
          i = end + 2;
        }
      } else if (c === '"' || c === "'") {
        const end = findQuoteEnd(src, i + 1, c);
        if (end < 0) {
          emit(src.slice(i), c);
          verbatim = c;
          i = src.length;
        } else {
          emit(src.slice(i, end + 1), c);
          i = end + 1;
        }
        last = c;
      } else if (c === '\\') {
        // A JS escape in the raw text: copy it and the character it escapes. `\\` is one
        // backslash in the CSS, a CSS escape: the character after it is copied too (`.a\\ b`).
        const n = src[i + 1] === '\\' ? 3 : 2;
        emit(src.slice(i, i + n), c);
        last = 'a';
        i += n;
      } else {
        emit(c, c);
        last = c;
        i++;
      }
    }
    if (pending && p < parts.length - 1 && last !== '' && !DROP_AFTER.has(last)) res += ' ';
    out.push(res);
  }
  return out;
}

/** Index of the quote closing a string that starts before `from`, or -1. Escapes are skipped. */
function findQuoteEnd(src, from, quote) {
  for (let i = from; i < src.length; i++) {
    if (src[i] === '\\') {
      // `\\` in the raw text is one backslash in the CSS, which escapes the next character.
      i += src[i + 1] === '\\' ? 2 : 1;
    } else if (src[i] === quote) return i;
    else if (src[i] === '\n') return -1; // unterminated: leave the rest alone
  }
  return -1;
}

const RAW_TEXT = new Set([
  'pre',
  'textarea',
  'script',
  'style',
  'title',
  'listing',
  'plaintext',
  'xmp',
]);

/**
 * Elements laid out as blocks: whitespace next to one of their tags starts or ends a line, where
 * it never renders, so it is dropped (in a post that was 20 of its 96 nodes).
 */
export const BLOCK = new Set(
  (
    'address article aside blockquote caption dd details dialog div dl dt fieldset figcaption ' +
    'figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section ' +
    'summary table tbody td tfoot th thead tr ul'
  ).split(' '),
);

/** Whether `src` at `i` starts a tag (opening or closing) of a block element. */
const blockTagAt = (src, i) => {
  const m = /^<\/?([a-zA-Z][^\s/>]*)/.exec(src.slice(i, i + 24));
  return !!m && BLOCK.has(m[1].toLowerCase());
};

/** Minifies the literal parts of an `html` template; `parts` are raw source text, one more than expressions. */
export function minifyHtml(parts) {
  const out = [];
  let mode = 'text'; // text | tag | "'" | '"' | comment | raw
  let tag = ''; // name of the tag being read (lower case), or of the raw-text element we are in
  let closing = false;
  let afterBlock = false; // what was emitted last is a block element's tag
  for (let p = 0; p < parts.length; p++) {
    const src = parts[p];
    if (p > 0) afterBlock = false; // an expression came between
    let res = '';
    let pending = false; // a space owed between attributes
    let i = 0;
    const flush = () => {
      if (pending && !res.endsWith('=')) res += ' ';
      pending = false;
    };
    while (i < src.length) {
      const c = src[i];
      if (mode === 'text' && WS.test(c)) {
        let j = i;
        while (j < src.length && WS.test(src[j])) j++;
        if (!afterBlock && !blockTagAt(src, j)) res += /[\n\r]/.test(src.slice(i, j)) ? '\n' : ' ';
        i = j;
      } else if (mode === 'text') {
        afterBlock = false;
        if (c === '<' && src.startsWith('<!--', i)) {
          mode = 'comment';
          res += '<!--';
          i += 4;
        } else if (c === '<' && /[a-zA-Z]/.test(src[i + 1] ?? '')) {
          const name = /** @type {RegExpExecArray} */ (
            /^[a-zA-Z][^\s/>]*/.exec(src.slice(i + 1))
          )[0];
          res += `<${name}`;
          tag = name.toLowerCase();
          closing = false;
          mode = 'tag';
          i += 1 + name.length;
        } else if (c === '<' && src[i + 1] === '/' && /[a-zA-Z]/.test(src[i + 2] ?? '')) {
          const name = /** @type {RegExpExecArray} */ (
            /^[a-zA-Z][^\s/>]*/.exec(src.slice(i + 2))
          )[0];
          res += `</${name}`;
          tag = name.toLowerCase();
          closing = true;
          mode = 'tag';
          i += 2 + name.length;
        } else if (c === '\\') {
          res += src.slice(i, i + 2);
          i += 2;
        } else {
          res += c;
          i++;
        }
      } else if (mode === 'tag') {
        if (WS.test(c)) {
          pending = true;
          i++;
        } else if (c === '>') {
          // No space before `>`. One stays before `/>`: after an unquoted value (`@error=${…} />`)
          // the slash would become part of the value.
          pending = false;
          res += c;
          i++;
          mode = !closing && RAW_TEXT.has(tag) ? 'raw' : 'text';
          afterBlock = BLOCK.has(tag);
        } else if (c === '=') {
          pending = false;
          res += c;
          i++;
        } else if (c === '"' || c === "'") {
          flush();
          res += c;
          mode = c;
          i++;
        } else {
          flush();
          res += src.slice(i, c === '\\' ? i + 2 : i + 1);
          i += c === '\\' ? 2 : 1;
        }
      } else if (mode === '"' || mode === "'") {
        const end = src.indexOf(mode, i);
        const stop = end < 0 ? src.length : end + 1;
        res += src.slice(i, stop);
        i = stop;
        if (end >= 0) mode = 'tag';
      } else if (mode === 'comment') {
        const end = src.indexOf('-->', i);
        const stop = end < 0 ? src.length : end + 3;
        res += src.slice(i, stop);
        i = stop;
        if (end >= 0) mode = 'text';
      } else {
        // raw text: verbatim up to the closing tag
        const end = src.toLowerCase().indexOf(`</${tag}`, i);
        const stop = end < 0 ? src.length : end;
        res += src.slice(i, stop);
        i = stop;
        if (end >= 0) mode = 'text';
      }
    }
    if (pending && p < parts.length - 1) flush();
    out.push(res);
  }
  return out;
}

/**
 * Rewrites the Lit templates of one TypeScript/JavaScript module. Returns null when nothing
 * changed, else `{ code, map, before, after }` (bytes of template text before and after).
 */
export function minifyLitTemplates(code, fileName) {
  if (!code.includes('`') || !LIT_IMPORT.test(code)) return null;
  const source = ts.createSourceFile(
    fileName,
    code,
    ts.ScriptTarget.Latest,
    true,
    fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  // Local names bound to Lit's `css` and `html` (`import { html as h } from 'lit'` counts).
  const tags = new Map();
  for (const stmt of source.statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    if (!LIT_MODULES.test(stmt.moduleSpecifier.text)) continue;
    const named = stmt.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named) || stmt.importClause.isTypeOnly) continue;
    for (const el of named.elements) {
      if (el.isTypeOnly) continue;
      const imported = (el.propertyName ?? el.name).text;
      if (imported === 'css' || imported === 'html') tags.set(el.name.text, imported);
    }
  }
  if (tags.size === 0) return null;

  const edits = []; // { start, end, text }: literal text ranges (without delimiters) to replace
  let before = 0;
  let after = 0;
  const visit = (node) => {
    if (
      ts.isTaggedTemplateExpression(node) &&
      ts.isIdentifier(node.tag) &&
      tags.has(node.tag.text) &&
      !node.typeArguments
    ) {
      const t = node.template;
      const ranges = [];
      if (ts.isNoSubstitutionTemplateLiteral(t))
        ranges.push([t.getStart(source) + 1, t.getEnd() - 1]);
      else {
        ranges.push([t.head.getStart(source) + 1, t.head.getEnd() - 2]);
        for (const span of t.templateSpans) {
          const lit = span.literal;
          const isTail = ts.isTemplateTail(lit);
          ranges.push([lit.getStart(source) + 1, lit.getEnd() - (isTail ? 1 : 2)]);
        }
      }
      for (const [s, e] of ranges) {
        const open = code[s - 1];
        const close = code.slice(e, e + 2);
        if ((open !== '`' && open !== '}') || !(close.startsWith('`') || close === '${')) {
          throw new Error(`minify-templates: unexpected template bounds in ${fileName} at ${s}`);
        }
      }
      const parts = ranges.map(([s, e]) => code.slice(s, e));
      const minified = tags.get(node.tag.text) === 'css' ? minifyCss(parts) : minifyHtml(parts);
      ranges.forEach(([s, e], k) => {
        before += e - s;
        after += minified[k].length;
        if (minified[k] !== parts[k]) edits.push({ start: s, end: e, text: minified[k] });
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (edits.length === 0) return null;
  edits.sort((a, b) => a.start - b.start);
  return { ...applyEdits(code, edits, fileName), before, after };
}

/** Applies non-overlapping edits and builds a source map (a segment per copied chunk and per line). */
function applyEdits(code, edits, fileName) {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const locate = (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [lo, offset - lineStarts[lo]];
  };
  /** @type {number[][][]} per output line: [outColumn, srcLine, srcColumn] */
  const lines = [[]];
  let outCol = 0;
  let text = '';
  // Appends `chunk`; `origin(k)` is the source offset of chunk[k] (for line starts), `copied`
  // says whether the chunk is source text copied as is (then every line maps exactly).
  const append = (chunk, startOffset, copied) => {
    lines[lines.length - 1].push([outCol, ...locate(startOffset)]);
    for (let k = 0; k < chunk.length; k++) {
      if (chunk[k] === '\n') {
        lines.push([]);
        outCol = 0;
        if (k + 1 < chunk.length)
          lines[lines.length - 1].push([0, ...locate(copied ? startOffset + k + 1 : startOffset)]);
      } else outCol++;
    }
    text += chunk;
  };
  let pos = 0;
  for (const edit of edits) {
    if (edit.start > pos) append(code.slice(pos, edit.start), pos, true);
    if (edit.text) append(edit.text, edit.start, false);
    pos = edit.end;
  }
  if (pos < code.length) append(code.slice(pos), pos, true);

  let prevSrcLine = 0;
  let prevSrcCol = 0;
  const mappings = lines
    .map((segments) => {
      let prevCol = 0;
      return segments
        .map(([col, line, srcCol]) => {
          const s =
            vlq(col - prevCol) + vlq(0) + vlq(line - prevSrcLine) + vlq(srcCol - prevSrcCol);
          prevCol = col;
          prevSrcLine = line;
          prevSrcCol = srcCol;
          return s;
        })
        .join(',');
    })
    .join(';');
  return {
    code: text,
    map: {
      version: 3,
      file: fileName,
      sources: [fileName],
      sourcesContent: [code],
      names: [],
      mappings,
    },
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function vlq(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let s = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    s += B64[digit];
  } while (v > 0);
  return s;
}

/** What the plugin reports per module whose templates it minified. */
/** @typedef {{ file: string, before: number, after: number }} TemplateStat */

/**
 * Vite/Rolldown plugin: minifies Lit templates in the project's own modules before they are
 * compiled. `stats` (optional) collects `{ file, before, after }` per module.
 * @param {{ include?: RegExp, exclude?: RegExp, stats?: TemplateStat[] }} [options]
 * @returns {import('vite').Plugin}
 */
export function minifyLitTemplatesPlugin({
  include = /\.[cm]?[jt]sx?$/,
  exclude = /node_modules/,
  stats,
} = {}) {
  return {
    name: 'parley:minify-lit-templates',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0];
      if (file.startsWith('\0') || !include.test(file) || exclude.test(file)) return null;
      const result = minifyLitTemplates(code, file);
      if (!result) return null;
      stats?.push({ file, before: result.before, after: result.after });
      return { code: result.code, map: result.map };
    },
  };
}
