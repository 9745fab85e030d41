// The element manifest, custom-elements.json (`npm run analyze`; `npm run build` writes it, and
// `npm test` runs this right after the build; alone: `npm run test:manifest`). It must be what
// custom-elements-manifest.config.mjs makes of the sources now, and hold the public API only, all
// of it documented: every element registered under its tag, no private or protected members, every
// event named and typed with its class from src/events/, and a description on every property,
// method, attribute, event, slot, CSS part and custom property. The browser side
// (test/api/api.test.ts) checks it against the live elements.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = join(root, 'custom-elements.json');
if (!existsSync(file)) throw new Error('custom-elements.json is missing: run `npm run analyze`.');
const manifest = JSON.parse(readFileSync(file, 'utf8'));
const elements = manifest.modules.flatMap((m) =>
  (m.declarations ?? []).filter((d) => d.customElement).map((d) => ({ ...d, module: m.path })),
);
const eventClasses = new Map(
  manifest.modules
    .filter((m) => m.path.startsWith('src/events/'))
    .flatMap((m) => (m.declarations ?? []).map((d) => [d.name, { ...d, module: m.path }])),
);

describe('custom-elements.json', () => {
  it('is what custom-elements-manifest.config.mjs makes of the sources now', async () => {
    const fresh = await cli({ argv: ['analyze', '--quiet'], cwd: root, noWrite: true });
    assert.deepEqual(manifest, fresh, 'custom-elements.json is stale: run `npm run analyze`');
  });

  it('declares the six elements, each registered under its tag', () => {
    assert.deepEqual(elements.map((e) => e.tagName).sort(), [
      'parley-composer',
      'parley-count',
      'parley-post',
      'parley-quote',
      'parley-sign-in',
      'parley-thread',
    ]);
    const definitions = manifest.modules.flatMap((m) =>
      (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition'),
    );
    for (const el of elements)
      assert.deepEqual(
        definitions.filter((d) => d.name === el.tagName).map((d) => d.declaration),
        [{ name: el.name, module: el.module }],
        `<${el.tagName}> has one tag definition, pointing at ${el.name}`,
      );
  });

  it('holds no private, protected or # members, and none of Lit’s statics', () => {
    const hidden = elements.flatMap((el) =>
      (el.members ?? [])
        .filter(
          (m) =>
            m.privacy === 'private' ||
            m.privacy === 'protected' ||
            m.name.startsWith('#') ||
            (m.static && ['styles', 'shadowRootOptions', 'properties'].includes(m.name)),
        )
        .map((m) => `${el.tagName}: ${m.privacy ?? 'static'} ${m.name}`),
    );
    assert.deepEqual(hidden, []);
    assert.ok(elements.every((el) => (el.members ?? []).length > 0));
  });

  it('names every event and types it with its event class', () => {
    const problems = [];
    for (const el of elements)
      for (const event of el.events ?? []) {
        const where = `${el.tagName}: ${event.name ?? `(nameless ${event.type?.text})`}`;
        if (!event.name) {
          problems.push(`${where} has no name: add @fires for it`);
          continue;
        }
        const cls = eventClasses.get(event.type?.text);
        if (!cls) {
          problems.push(`${where} has no event class from src/events/ (type ${event.type?.text})`);
          continue;
        }
        const type = cls.members?.find((m) => m.static && m.name === 'type');
        if (type?.default !== `'${event.name}'`)
          problems.push(`${where}: ${cls.name}.type is ${type?.default}`);
        assert.deepEqual(event.type.references, [{ name: cls.name, module: cls.module }]);
      }
    assert.deepEqual(problems, []);
    const names = (tag) => elements.find((e) => e.tagName === tag).events.map((e) => e.name);
    assert.deepEqual(names('parley-thread'), [
      'parley-post-created',
      'parley-post-updated',
      'parley-post-deleted',
      'parley-error',
      'parley-login-request',
      'parley-logout-request',
    ]);
  });

  it('describes every property, method, attribute, event, slot, CSS part and custom property', () => {
    const undocumented = [];
    for (const el of elements) {
      if (!el.summary && !el.description) undocumented.push(`<${el.tagName}> (@summary)`);
      for (const kind of ['members', 'attributes', 'events', 'slots', 'cssParts', 'cssProperties'])
        for (const item of el[kind] ?? [])
          if (!item.description?.trim())
            undocumented.push(`${el.tagName} ${kind}: ${item.name || '(default slot)'}`);
    }
    assert.deepEqual(undocumented, []);
  });
});
