// Tests of scripts/minify-templates.mjs: `npm run test:scripts` (node --test).
// Besides the unit cases, every Lit template in src/ is minified and checked: expressions kept
// byte for byte, the CSS parsing to the same stylesheet (Lightning CSS, which ships with Vite)
// and the HTML to the same tree (parse5, which ships with the test runner's dev server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { BLOCK, minifyCss, minifyHtml, minifyLitTemplates } from './minify-templates.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const optional = (name) => {
  try {
    return require(name);
  } catch {
    return null;
  }
};

// ---- CSS ----
test('css: comments, whitespace, separators and the last semicolon go', () => {
  const input = `
    /* a comment */
    :host {
      display: block;
      margin: 0 auto ;
    }
    .a > .b,
    .c   ~   .d {
      color: red !important;
    }
  `;
  assert.deepEqual(minifyCss([input]), [
    ':host{display:block;margin:0 auto}.a>.b,.c ~ .d{color:red!important}',
  ]);
});

test('css: strings, calc() operators, descendant pseudo-classes and `and (` are kept', () => {
  const input = `
    :host([theme='dark  mode']) .x::after { content: "  two  spaces  "; }
    a :hover { width: calc(100% - 2 * 3px); }
    @media screen and (min-width: 30rem) { a { grid-row: 1 / span 4; } }
    .q { content: '\\\\201C'; }
  `;
  assert.deepEqual(minifyCss([input]), [
    ":host([theme='dark  mode']) .x::after{content:\"  two  spaces  \"}a :hover{width:calc(100% - 2 * 3px)}@media screen and (min-width:30rem){a{grid-row:1 / span 4}}.q{content:'\\\\201C'}",
  ]);
});

test('css: an escaped space in an identifier stays', () => {
  // Raw source `.a\\ b {` is the CSS `.a\ b {`: a class named "a b".
  assert.deepEqual(minifyCss(['.a\\\\ b {\n  color: red;\n}']), ['.a\\\\ b{color:red}']);
});

test('css: spaces next to expressions survive where they separate tokens', () => {
  const parts = [
    '\n  .a {\n    padding: 0 calc(',
    ' * ',
    ');\n    font-family: ',
    ';\n    margin: ',
    ' ',
    ';\n  }\n  ',
    '\n',
  ];
  assert.deepEqual(minifyCss(parts), [
    '.a{padding:0 calc(',
    ' * ',
    ');font-family:',
    ';margin:',
    ' ',
    '}',
    '',
  ]);
});

test('css: a declaration block from an expression keeps its neighbours apart', () => {
  const parts = [':host {\n  ', '\n  color-scheme: dark;\n}'];
  assert.deepEqual(minifyCss(parts), [':host{', ' color-scheme:dark}']);
});

test('css: declarations keep their order, so each expression stays with its property', () => {
  // Lit's expressions stay where they are in the source. A minifier that reorders declarations
  // (Lightning CSS regroups logical properties, for one) hands each one a neighbour's value.
  const parts = [
    '\n  .a {\n    padding-inline-start: ',
    ';\n    border-inline-start: 3px solid ',
    ';\n    color: ',
    ';\n  }\n',
  ];
  assert.deepEqual(minifyCss(parts), [
    '.a{padding-inline-start:',
    ';border-inline-start:3px solid ',
    ';color:',
    '}',
  ]);
});

test('css: a comment or string around an expression is left alone', () => {
  assert.deepEqual(minifyCss(['a { /* x ', ' y */ color: red; }']), [
    'a{/* x ',
    ' y */ color:red}',
  ]);
  assert.deepEqual(minifyCss(["a { content: ' ", " '; }"]), ["a{content:' ", " '}"]);
});

// ---- HTML ----
test('html: text whitespace becomes one space, or one newline when it had one', () => {
  assert.deepEqual(minifyHtml(['<span>\n      <b>a   b</b>\n    </span>']), [
    '<span>\n<b>a b</b>\n</span>',
  ]);
  assert.deepEqual(minifyHtml(['<span>', '</span>   <span>', '</span>']), [
    '<span>',
    '</span> <span>',
    '</span>',
  ]);
});

test("html: whitespace next to a block element's tag goes, wherever it is", () => {
  assert.deepEqual(minifyHtml(['<div>\n      <p>a   b</p>\n    </div>']), [
    '<div><p>a b</p></div>',
  ]);
  // Between a block and an expression, on either side; an expression's own neighbours stay.
  assert.deepEqual(minifyHtml(['<article>\n  ', ' ', '\n  </article> ', ' <b>']), [
    '<article>',
    ' ',
    '</article>',
    ' <b>',
  ]);
  // Inline elements keep the space between them; text next to a block loses only its edge.
  assert.deepEqual(minifyHtml(['<p>\n  Hello <b>you</b> <i>there</i>\n</p>\n<span> x </span>']), [
    '<p>Hello <b>you</b> <i>there</i></p><span> x </span>',
  ]);
  // Raw text and comments stay as they are.
  assert.deepEqual(minifyHtml(['<div><pre>\n a\n</pre>\n<!-- c -->\n</div>']), [
    '<div><pre>\n a\n</pre><!-- c --></div>',
  ]);
});

test('html: bindings keep their names, one space apart; nothing before `>`', () => {
  const parts = [
    '<button\n  class="button"\n  ?disabled=',
    '\n  .value=',
    '\n  @click=',
    '\n  aria-label="',
    '"\n>\n  ',
    '\n</button>',
  ];
  assert.deepEqual(minifyHtml(parts), [
    '<button class="button" ?disabled=',
    ' .value=',
    ' @click=',
    ' aria-label="',
    '">\n',
    '\n</button>',
  ]);
});

test('html: attribute values, comments and raw-text elements are untouched', () => {
  const input =
    '<p title="a   b\n c" data-x=\'  y  \'>  <!--  keep   me  -->  </p><pre>  a\n   b  </pre>  <textarea>\n  x  </textarea>';
  assert.deepEqual(minifyHtml([input]), [
    '<p title="a   b\n c" data-x=\'  y  \'><!--  keep   me  --></p><pre>  a\n   b  </pre><textarea>\n  x  </textarea>',
  ]);
});

test('html: expressions inside quoted values and element bindings', () => {
  const parts = ['<li id="', '-option-', '"   ', '   >', '</li>'];
  assert.deepEqual(minifyHtml(parts), ['<li id="', '-option-', '" ', '>', '</li>']);
  assert.deepEqual(minifyHtml(['<slot name="login"\n  ><b>x</b></slot\n>']), [
    '<slot name="login"><b>x</b></slot>',
  ]);
  // `/>` after an unquoted value keeps its space, or the slash would join the value.
  assert.deepEqual(minifyHtml(['<img src=', '\n  @error=', '\n/>']), [
    '<img src=',
    ' @error=',
    ' />',
  ]);
});

// ---- source rewriting ----
test('source: only templates tagged with Lit imports change; expressions are copied as they are', () => {
  const code = [
    "import { html as h, css, LitElement } from 'lit';",
    "import type { TemplateResult } from 'lit';",
    'const own = (s: TemplateStringsArray) => s;',
    'export const a = h`<span>\n  ${x ? h`<b>   nested   </b>` : `  untagged  ${"`"}  `}\n  ${{ k: 1 }.k}\n</span>`;',
    'export const b = own`  keep   me  `;',
    'export const c = css`\n  .a { color: ${"red"}; }\n`;',
    'const html = (s: TemplateStringsArray) => s; export const d = html`  not lit  `;',
  ].join('\n');
  const result = minifyLitTemplates(code, 'x.ts');
  assert.ok(result);
  assert.match(
    result.code,
    /h`<span>\n\$\{x \? h`<b> nested <\/b>` : `  untagged  \$\{"`"\}  `\}\n\$\{\{ k: 1 \}\.k\}\n<\/span>`/,
  );
  assert.match(result.code, /own`  keep   me  `/);
  assert.match(result.code, /css`\.a\{color:\$\{"red"\}\}`/);
  assert.match(result.code, /html`  not lit  `/);
});

test('source: an aliased tag alone is found', () => {
  const result = minifyLitTemplates(
    "import { html as h } from 'lit';\nexport const a = h`<b>\n  x\n</b>`;",
    'x.ts',
  );
  assert.equal(result?.code, "import { html as h } from 'lit';\nexport const a = h`<b>\nx\n</b>`;");
});

test('source: a file without Lit templates is left alone', () => {
  assert.equal(
    minifyLitTemplates("import { LitElement } from 'lit';\nexport const x = `  a  `;", 'x.ts'),
    null,
  );
});

test('source: the source map points code after a template back to where it was', () => {
  const code =
    "import { css } from 'lit';\nexport const s = css`\n  a {\n    color: red;\n  }\n`;\nexport const after = 42;\n";
  const result = minifyLitTemplates(code, 'x.ts');
  assert.ok(result, 'the css template was minified');
  const { code: out, map } = result;
  const outLine = out.split('\n').findIndex((l) => l.includes('after'));
  const outCol = out.split('\n')[outLine].indexOf('after');
  const position = originalPosition(map, outLine, outCol);
  assert.ok(position, 'the map covers the code after the template');
  const [line, col] = position;
  assert.equal(code.split('\n')[line].slice(col), 'after = 42;');
});

/** Original [line, column] of a generated position (the segment at or before it). */
function originalPosition(map, genLine, genCol) {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const decode = (s) => {
    const out = [];
    let v = 0;
    let shift = 0;
    for (const ch of s) {
      const d = B64.indexOf(ch);
      v += (d & 31) << shift;
      if (d & 32) shift += 5;
      else {
        out.push(v & 1 ? -(v >>> 1) : v >>> 1);
        v = 0;
        shift = 0;
      }
    }
    return out;
  };
  let srcLine = 0;
  let srcCol = 0;
  /** @type {[number, number] | null} */
  let best = null;
  for (const [l, line] of map.mappings.split(';').entries()) {
    let col = 0;
    for (const seg of line.split(',').filter(Boolean)) {
      const [dc, , dl, dsc] = decode(seg);
      col += dc;
      srcLine += dl;
      srcCol += dsc;
      if (l === genLine && col <= genCol) best = [srcLine, srcCol + (genCol - col)];
    }
  }
  return best;
}

// ---- every template in src/ ----
const sourceFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );

/**
 * `[{ tag, parts, expressions }]` of the css/html tagged templates of a module (nested ones too),
 * in source order. An expression is its source text with the literal text of any template
 * nested in it cut out (those are compared as templates of their own).
 */
function templatesOf(code, file) {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const isLit = (node) =>
    ts.isTaggedTemplateExpression(node) &&
    ts.isIdentifier(node.tag) &&
    (node.tag.text === 'css' || node.tag.text === 'html');
  const literals = (t) =>
    ts.isNoSubstitutionTemplateLiteral(t)
      ? [t]
      : [t.head, ...t.templateSpans.map((s) => s.literal)];
  const skeleton = (expr) => {
    const cuts = [];
    const collect = (node) => {
      if (isLit(node))
        for (const lit of literals(node.template)) cuts.push([lit.getStart(sf), lit.getEnd()]);
      ts.forEachChild(node, collect);
    };
    collect(expr);
    let text = '';
    let pos = expr.getStart(sf);
    for (const [s, e] of cuts.sort((a, b) => a[0] - b[0])) {
      text += `${code.slice(pos, s)}#`;
      pos = e;
    }
    return text + code.slice(pos, expr.getEnd());
  };
  const found = [];
  const visit = (node) => {
    if (isLit(node)) {
      const t = node.template;
      const parts = literals(t).map((lit) => lit.rawText);
      const expressions = ts.isNoSubstitutionTemplateLiteral(t)
        ? []
        : t.templateSpans.map((s) => skeleton(s.expression));
      found.push({ tag: node.tag.text, parts, expressions });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const srcTemplates = sourceFiles(join(root, 'src')).flatMap((file) => {
  const code = readFileSync(file, 'utf8');
  const result = minifyLitTemplates(code, file);
  if (!result) return [];
  const before = templatesOf(code, file);
  const after = templatesOf(result.code, file);
  return [{ file, before, after }];
});

test('src: every template keeps its expressions and its number of parts', () => {
  assert.ok(srcTemplates.length > 0, 'expected Lit templates in src/');
  for (const { file, before, after } of srcTemplates) {
    assert.equal(after.length, before.length, file);
    before.forEach((t, i) => {
      assert.equal(after[i].parts.length, t.parts.length, `${file} template ${i}`);
      assert.deepEqual(after[i].expressions, t.expressions, `${file} template ${i}`);
    });
  }
});

test('src: every stylesheet parses to the same CSS (Lightning CSS)', (t) => {
  const lightning = optional('lightningcss');
  if (!lightning) return t.skip('lightningcss is not installed (it comes with vite)');
  const normalise = (parts) => {
    // An expression becomes a custom property, which is valid wherever Parley puts one: in a value
    // (`token()`) or as a whole declaration block (`declarations()` → `--x:0`, a declaration).
    const text = parts.reduce((acc, part, i) => `${acc}${i ? `var(--e${i})` : ''}${part}`, '');
    const css = text.replace(/\{\s*var\(--e(\d+)\)/g, '{--e$1:0;');
    // Lightning CSS keeps a value with var() as written, bar the spacing after commas.
    return lightning
      .transform({ filename: 'x.css', code: Buffer.from(css), minify: true })
      .code.toString()
      .replace(/,\s+/g, ',');
  };
  let count = 0;
  for (const { file, before, after } of srcTemplates) {
    before.forEach((tpl, i) => {
      if (tpl.tag !== 'css') return;
      count++;
      assert.equal(normalise(after[i].parts), normalise(tpl.parts), `${file} css template ${i}`);
    });
  }
  assert.ok(count > 0);
});

test('src: every html template parses to the same tree, whitespace aside (parse5)', (t) => {
  const parse5 = optional('parse5');
  if (!parse5) return t.skip('parse5 is not installed (it comes with @web/dev-server)');
  const tree = (parts) => {
    const html = parts.reduce((acc, part, i) => `${acc}${i ? `x-e${i}` : ''}${part}`, '');
    // Whitespace that starts or ends a line at a block element's edge never renders: it goes
    // from both trees, as the minifier drops it.
    const block = (node) => !!node && BLOCK.has(node.nodeName);
    const walk = (node, i = 0, siblings = [], parent = null) => {
      if (node.nodeName === '#text') {
        let text = node.value.replace(/\s+/g, ' ');
        if (block(siblings[i - 1]) || (i === 0 && block(parent))) text = text.trimStart();
        if (block(siblings[i + 1]) || (i === siblings.length - 1 && block(parent)))
          text = text.trimEnd();
        return text;
      }
      if (node.nodeName === '#comment') return `<!--${node.data}-->`;
      const attrs = (node.attrs ?? []).map((a) => `${a.name}=${JSON.stringify(a.value)}`).join(' ');
      const kids = (node.content ?? node).childNodes ?? [];
      const children = kids.map((kid, k) => walk(kid, k, kids, node)).filter((c) => c !== '');
      return { tag: node.nodeName, attrs, children };
    };
    return walk(parse5.parseFragment(html));
  };
  let count = 0;
  for (const { file, before, after } of srcTemplates) {
    before.forEach((tpl, i) => {
      if (tpl.tag !== 'html') return;
      count++;
      assert.deepEqual(tree(after[i].parts), tree(tpl.parts), `${file} html template ${i}`);
    });
  }
  assert.ok(count > 0);
});
