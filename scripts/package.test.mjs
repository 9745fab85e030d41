// The package as a consumer installs it, after `npm run build` (`npm test` runs it right after the
// build; alone: `npm run build && npm run test:package`). Every `exports` entry resolves to a built
// file with its types; `parley-comments/testing` loads in Node with nothing but the package's own
// modules, type-checks from a consumer's TypeScript, and its contract suite passes against
// MemoryAdapter under node:test, as a third-party adapter's would.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { chunkImports } from './chunk-imports.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

if (!existsSync(join(root, 'dist/lib/index.js')))
  throw new Error('dist/lib is missing: run `npm run build` first.');

describe('package exports', () => {
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    it(`${subpath} resolves to built files`, () => {
      const specifier = `${pkg.name}${subpath.slice(1)}`;
      const resolved = fileURLToPath(import.meta.resolve(specifier));
      assert.ok(existsSync(resolved), `${specifier} resolves to ${resolved}, which does not exist`);
      if (typeof target === 'object') {
        assert.ok(target.types, `${subpath} names its types`);
        assert.ok(
          existsSync(join(root, target.types)),
          `the types of ${subpath}, ${target.types}, do not exist`,
        );
      }
    });
  }

  it('exports ./testing, with types', () => {
    assert.deepEqual(pkg.exports['./testing'], {
      types: './dist/lib/testing/index.d.ts',
      import: './dist/lib/testing/index.js',
    });
  });
});

/** What the module graph from `specifier` imports from outside the package, and how many files it has. */
function importsOutside(specifier) {
  const seen = new Set();
  const outside = [];
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) outside.push(`${file}: ${fileName}`);
      else visit(resolve(dirname(file), fileName));
    }
  };
  visit(fileURLToPath(import.meta.resolve(specifier)));
  return { outside, files: seen.size };
}

describe('parley-comments/model', () => {
  it('imports nothing but the modules of the package itself, and runs without a DOM', async () => {
    const { outside, files } = importsOutside('parley-comments/model');
    assert.deepEqual(outside, []);
    assert.ok(files >= 5);
    const model = await import('parley-comments/model');
    assert.deepEqual(Object.keys(model).sort(), [
      'ParleyError',
      'comparePosts',
      'layoutThread',
      'mentionsIn',
      'participantsOf',
      'suggestMentions',
      'validateSeed',
    ]);
    assert.deepEqual(model.mentionsIn('Hi @Ana and @ben, @ana'), ['ana', 'ben']);
    const seed = model.validateSeed({
      threads: [{ id: 't', title: 'T' }],
      posts: [
        {
          id: 'p',
          threadId: 't',
          author: { id: 'u', name: 'U' },
          createdAt: '2021-01-01T00:00:00Z',
          body: 'x',
        },
      ],
    });
    assert.equal(model.layoutThread(seed.posts).opening?.id, 'p');
  });
});

describe('parley-comments/testing', () => {
  it('imports nothing but the modules of the package itself (no test framework, no chai)', () => {
    const { outside, files } = importsOutside('parley-comments/testing');
    assert.deepEqual(outside, []);
    assert.ok(files >= 4);
  });

  it("type-checks in a consumer's TypeScript, with parley-comments/model (NodeNext resolution)", () => {
    const consumer = join(root, '__package_consumer__.ts');
    const source = `
      import { describeAdapterContract, contractSeed, type ContractFramework } from 'parley-comments/testing';
      import { MemoryAdapter, type CommentAdapter } from 'parley-comments';
      declare const framework: ContractFramework;
      describeAdapterContract(framework, 'MemoryAdapter', async (seed) => {
        const adapter: CommentAdapter = new MemoryAdapter(seed);
        return { adapter, teardown: async () => {} };
      }, { maxLength: 100 });
      import { layoutThread, type ThreadLayout, type Post } from 'parley-comments/model';
      const layout: ThreadLayout = layoutThread([] as Post[]);
      const seeded: number = contractSeed().posts.length + layout.replyCount;
      // @ts-expect-error the framework comes first
      describeAdapterContract('MemoryAdapter', async () => ({ adapter: new MemoryAdapter() }));
      export { seeded };
    `;
    const options = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, ...rest) =>
      name === consumer
        ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022, true)
        : getSourceFile.call(host, name, ...rest);
    host.fileExists = (name) => name === consumer || fileExists.call(host, name);
    host.readFile = (name) => (name === consumer ? source : readFile.call(host, name));
    const program = ts.createProgram([consumer], options, host);
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(errors, []);
  });
});

// The suite itself, through the package's own entry, against the built MemoryAdapter (which needs
// no DOM when it has no storageKey).
const { describeAdapterContract } = await import('parley-comments/testing');
const { MemoryAdapter } = await import('../dist/lib/adapters/memory.js');
describeAdapterContract(
  { describe, it, beforeEach, afterEach },
  'MemoryAdapter (node:test)',
  async (seed) => ({
    adapter: new MemoryAdapter(seed),
  }),
);

// The suite's own assertions: each must fail where chai's would.
const { expect, AssertionError } = await import('../dist/lib/testing/expect.js');
describe('the contract suite assertions', () => {
  const fails = (check, message) =>
    assert.throws(check, (error) => error instanceof AssertionError && message.test(error.message));

  it('equal is strict, deep.equal compares by value, own keys and kinds alike', () => {
    expect(1).to.equal(1);
    fails(() => expect('1').to.equal(1), /^expected "1" to equal 1$/);
    fails(() => expect({ a: 1 }).to.equal({ a: 1 }), /to equal/);
    expect({ a: [1, { b: 2 }] }).to.deep.equal({ a: [1, { b: 2 }] });
    fails(() => expect({ a: 1, b: undefined }).to.deep.equal({ a: 1 }), /to deeply equal/);
    fails(() => expect({ a: 1 }).to.deep.equal({ a: 1, b: undefined }), /to deeply equal/);
    fails(() => expect([1, 2]).to.deep.equal([2, 1]), /to deeply equal/);
    fails(() => expect([]).to.deep.equal({}), /to deeply equal/);
    fails(() => expect({ a: { b: 1 } }).to.deep.equal({ a: { b: '1' } }), /to deeply equal/);
    expect(null).to.deep.equal(null);
    fails(() => expect(null).to.deep.equal({}), /to deeply equal/);
  });

  it('include checks arrays and strings, and with deep a subset of properties', () => {
    expect(['a', 'b']).to.include('b');
    fails(() => expect(['a']).to.include('b'), /to include "b"/);
    expect(['a']).not.to.include('b');
    fails(() => expect(['a', 'b']).not.to.include('b'), /not to include "b"/);
    expect({ id: 1, name: 'x', extra: true }).to.deep.include({ id: 1, name: 'x' });
    fails(() => expect({ id: 1 }).to.deep.include({ id: 1, name: 'x' }), /to deeply include/);
    fails(() => expect({ q: { a: 1 } }).to.deep.include({ q: { a: 2 } }), /to deeply include/);
  });

  it('type, match, comparisons, length, instanceOf and not', () => {
    expect('x').to.be.a('string').and.not.equal('');
    fails(() => expect('').to.be.a('string').and.not.equal(''), /not to equal ""/);
    fails(() => expect(null).to.be.a('string'), /to be a string/);
    fails(() => expect(' ').not.to.match(/^\s*$/), /not to match/);
    expect(3).to.be.at.most(3);
    fails(() => expect(4).to.be.at.most(3), /to be at most 3/);
    fails(() => expect(3).to.be.greaterThan(3), /to be greater than 3/);
    fails(() => expect('3').to.be.greaterThan(1), /expected a number/);
    fails(() => expect([1]).to.have.length(2), /to have length 2 \(it has 1\)/);
    expect(new TypeError('x')).to.be.instanceOf(Error);
    fails(() => expect({}).to.be.instanceOf(Error), /to be an instance of Error/);
    fails(() => expect(1).not.to.equal(1), /not to equal 1/);
  });

  it('prefixes the message, and fail() fails', () => {
    fails(() => expect(1, 'the count').to.equal(2), /^the count: expected 1 to equal 2$/);
    fails(() => expect.fail('never resolved'), /^never resolved$/);
  });
});

describe('the script-tag build in dist/', () => {
  const dist = join(root, 'dist');
  const read = (file) => readFileSync(join(dist, file), 'utf8');
  /** The relative files a built module imports, statically and on first use. */
  const importsOf = (file) => chunkImports(read(file));

  /** Every chunk reachable from `file`; `static`: only through static imports (what loads first). */
  const reachable = (file, kinds = ['static', 'dynamic']) => {
    const found = new Set([file]);
    for (const queue = [file]; queue.length;) {
      const imports = importsOf(queue.shift());
      for (const chunk of kinds.flatMap((kind) => imports[kind]))
        if (!found.has(chunk)) {
          found.add(chunk);
          queue.push(chunk);
        }
    }
    return found;
  };

  it('loads the core before it runs, and the rest on first use, from beside the entry', () => {
    const entry = importsOf('parley.js');
    assert.equal(entry.static.length, 1, `imported before it runs: ${entry.static.join(', ')}`);
    assert.match(entry.static[0], /^parley-core-[\w-]+\.js$/);
    const chunks = reachable('parley.js');
    const first = reachable('parley.js', ['static']);
    assert.deepEqual(
      [...first].sort(),
      ['parley-core', 'parley.js'].map((f) => [...chunks].find((c) => c.startsWith(f))).sort(),
    );
    const named = (prefix) => [...chunks].filter((c) => c.startsWith(`parley-${prefix}-`));
    for (const prefix of ['editor', 'floating', 'embedded', 'markdown-ready', 'later']) {
      assert.ok(named(prefix).length > 0, `a ${prefix} chunk is reachable`);
      for (const chunk of named(prefix)) {
        assert.ok(existsSync(join(dist, chunk)), `${chunk} is built`);
        assert.ok(!first.has(chunk), `${chunk} loads on first use`);
      }
    }
    // marked is in the chunk that loads on first use, not in what a reader loads first.
    const marked = [...chunks].filter((c) => read(c).includes('pedantic'));
    assert.equal(marked.length, 1, `marked is in ${marked.join(', ')}`);
    assert.ok(!first.has(marked[0]), 'marked loads on first use');
    for (const chunk of chunks) {
      // A chunk takes what it shares with others from another chunk, by a relative URL, so the
      // whole of dist/ works from any directory or CDN path; never from the entry, which awaits
      // one of them at its top level (the two would wait for each other).
      for (const file of importsOf(chunk).static) {
        assert.notEqual(file, 'parley.js', `${chunk} imports the entry`);
        assert.ok(existsSync(join(dist, file)), `${chunk} imports ${file}, which is built`);
      }
    }
  });

  it('also comes as one self-contained file, dist/parley.single.js', () => {
    const single = importsOf('parley.single.js');
    assert.deepEqual(single, { static: [], dynamic: [] }, 'it imports nothing');
    assert.match(read('parley.single.js'), /parley-thread/);
  });
});
