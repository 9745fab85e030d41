// @ts-check
// The element manifest, custom-elements.json, from the components' JSDoc: `npm run analyze`
// (`npm run build` runs it too). What IDEs, docs tools and the README tables (scripts/docs.mjs)
// read, so it holds the public API only:
// - the elements (src/components/*/*.component.ts) and the tags they are registered under
//   (src/components/*/<element>.ts, which call the guarded `define(tag, Class)`),
// - public members only: no private, protected or `#` members, none of Lit's static plumbing,
// - every event with a name and its class from src/events/ (`@fires name` in the JSDoc gives the
//   name and description, `static readonly type = 'name'` on the class links the two),
// - the event classes, so an event's `type` can be followed to its declaration.
// scripts/manifest.test.mjs fails when custom-elements.json is not what this produces.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** @typedef {import('custom-elements-manifest/schema.js').Package} Package */
/** @typedef {import('custom-elements-manifest/schema.js').Module} Module */
/** @typedef {import('custom-elements-manifest/schema.js').ClassDeclaration} ClassDeclaration */
/** @typedef {ClassDeclaration & import('custom-elements-manifest/schema.js').CustomElement} CustomElementDeclaration */
/** @typedef {import('custom-elements-manifest/schema.js').Event} ManifestEvent */
/** @typedef {import('@custom-elements-manifest/analyzer').Plugin} Plugin */

/** Members Lit declares on every element, which are not part of an element's own API. */
const LIT_STATICS = new Set(['styles', 'shadowRootOptions', 'properties', 'dependencies']);

/** Adds a `custom-element-definition` export for each `define('tag', Class)` call. */
/** @returns {Plugin} */
function tagDefinitions() {
  return {
    name: 'parley-tag-definitions',
    /** @param {import('@custom-elements-manifest/analyzer').AnalyzePhaseParams} phase */
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return;
      if (node.expression.text !== 'define') return;
      const [tag, element] = node.arguments;
      if (!tag || !ts.isStringLiteral(tag) || !element || !ts.isIdentifier(element)) return;
      const path = moduleDoc.path ?? '';
      let module = path;
      for (const statement of node.getSourceFile().statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
          continue;
        const bindings = statement.importClause?.namedBindings;
        if (!bindings || !ts.isNamedImports(bindings)) continue;
        if (bindings.elements.some((binding) => binding.name.text === element.text))
          module = posix
            .join(posix.dirname(path), statement.moduleSpecifier.text)
            .replace(/\.js$/, '.ts');
      }
      (moduleDoc.exports ??= []).push({
        kind: 'custom-element-definition',
        name: tag.text,
        declaration: { name: element.text, module },
      });
    },
    /** The registration module re-exports the class: point that export at the class's module. */
    /** @param {{ customElementsManifest: Package }} phase */
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const exports = module.exports ?? [];
        for (const definition of exports) {
          if (definition.kind !== 'custom-element-definition') continue;
          for (const reexport of exports)
            if (
              reexport.kind === 'js' &&
              reexport.declaration.name === definition.declaration.name &&
              reexport.declaration.module === module.path
            )
              reexport.declaration.module = definition.declaration.module;
        }
      }
    },
  };
}

/** Drops private, protected and `#` members and Lit's statics from every class. */
/** @returns {Plugin} */
function publicMembersOnly() {
  return {
    name: 'parley-public-members-only',
    /** @param {{ customElementsManifest: Package }} phase */
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules)
        for (const declaration of module.declarations ?? []) {
          if (declaration.kind !== 'class' || !declaration.members) continue;
          declaration.members = declaration.members.filter(
            (member) =>
              member.privacy !== 'private' &&
              member.privacy !== 'protected' &&
              !member.name.startsWith('#') &&
              !(member.static && LIT_STATICS.has(member.name)),
          );
        }
    },
  };
}

/**
 * Gives every event of an element its name and its class. The analyzer reports `@fires name` as
 * an event without a type, and each `dispatchEvent(new SomeEvent())` as a type without a name;
 * the event classes' `static readonly type = 'name'` joins them into one entry per event, in the
 * order of the `@fires` tags.
 */
/** @returns {Plugin} */
function typedEvents() {
  return {
    name: 'parley-typed-events',
    /** @param {{ customElementsManifest: Package }} phase */
    packageLinkPhase({ customElementsManifest }) {
      /** @type {Map<string, { className: string, module: string }>} */
      const classOf = new Map();
      for (const module of customElementsManifest.modules)
        for (const declaration of module.declarations ?? []) {
          if (declaration.kind !== 'class') continue;
          const type = declaration.members?.find((m) => m.static && m.name === 'type');
          const name =
            type && 'default' in type ? /^'(parley-[a-z-]+)'$/.exec(type.default ?? '')?.[1] : null;
          if (name) classOf.set(name, { className: declaration.name, module: module.path });
        }
      const nameOf = new Map([...classOf].map(([name, { className }]) => [className, name]));

      for (const module of customElementsManifest.modules)
        for (const declaration of module.declarations ?? []) {
          const element = /** @type {CustomElementDeclaration} */ (declaration);
          if (!element.customElement || !element.events) continue;
          /** @type {ManifestEvent[]} */
          const events = [];
          const named = element.events.filter((event) => event.name);
          const nameless = element.events.filter((event) => !event.name);
          for (const event of [...named, ...nameless]) {
            const name = event.name || nameOf.get(event.type?.text ?? '');
            if (!name) {
              events.push(event); // left nameless: scripts/manifest.test.mjs names it
              continue;
            }
            let entry = events.find((e) => e.name === name);
            if (!entry) {
              entry = /** @type {ManifestEvent} */ ({ name });
              events.push(entry);
            }
            if (event.description && !entry.description) entry.description = event.description;
            const cls = classOf.get(name);
            if (cls)
              entry.type = {
                text: cls.className,
                references: [{ name: cls.className, module: cls.module }],
              };
            else if (event.type && !entry.type) entry.type = event.type;
          }
          element.events = events;
        }
    },
  };
}

/** Leaves out modules that declare no element, no tag and no event class (helpers such as gap.ts). */
function publicModulesOnly() {
  return {
    name: 'parley-public-modules-only',
    /** @param {{ customElementsManifest: Package }} phase */
    packageLinkPhase({ customElementsManifest }) {
      const events = eventClassNames(customElementsManifest);
      customElementsManifest.modules = customElementsManifest.modules.filter(
        (module) =>
          (module.declarations ?? []).some(
            (d) => /** @type {CustomElementDeclaration} */ (d).customElement || events.has(d.name),
          ) || (module.exports ?? []).some((e) => e.kind === 'custom-element-definition'),
      );
      // In the events modules, only the event classes (and the classes they extend).
      for (const module of customElementsManifest.modules) {
        if (!module.path.startsWith('src/events/')) continue;
        module.declarations = (module.declarations ?? []).filter(
          (d) => d.kind === 'class' && events.has(d.name),
        );
        const names = new Set(module.declarations.map((d) => d.name));
        module.exports = (module.exports ?? []).filter((e) => names.has(e.name));
      }
    },
  };
}

/** The classes of src/events/ that extend `Event`, directly or through another of them. */
function eventClassNames(/** @type {Package} */ manifest) {
  const classes = manifest.modules
    .filter((module) => module.path.startsWith('src/events/'))
    .flatMap((module) => module.declarations ?? [])
    .filter((d) => d.kind === 'class');
  const names = new Set(['Event']);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of classes)
      if (!names.has(d.name) && d.superclass && names.has(d.superclass.name)) {
        names.add(d.name);
        grew = true;
      }
  }
  names.delete('Event');
  return names;
}

/**
 * The theme's custom properties, documented as `@cssprop` lines where their defaults are
 * (src/styles/tokens.ts), listed with `<parley-thread>`: the element a site themes.
 * @returns {Plugin}
 */
function themeProperties() {
  return {
    name: 'parley-theme-properties',
    /** @param {{ customElementsManifest: Package }} phase */
    packageLinkPhase({ customElementsManifest }) {
      const source = readFileSync(new URL('./src/styles/tokens.ts', import.meta.url), 'utf8');
      const properties = [...source.matchAll(/^ \* @cssprop \[(--[\w-]+)=(.*)\] - (.*)$/gm)].map(
        ([, name, defaultValue, description]) => ({ description, name, default: defaultValue }),
      );
      for (const module of customElementsManifest.modules)
        for (const declaration of module.declarations ?? []) {
          const element = /** @type {CustomElementDeclaration} */ (declaration);
          if (element.tagName !== 'parley-thread') continue;
          element.cssProperties = [...properties, ...(element.cssProperties ?? [])];
        }
    },
  };
}

/**
 * Modules in path order: the analyzer lists them in the order the file system gives the globbed
 * files, which differs between clones, and the manifest must be the same everywhere.
 * @returns {Plugin}
 */
function modulesInPathOrder() {
  return {
    name: 'parley-modules-in-path-order',
    /** @param {{ customElementsManifest: Package }} phase */
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
      );
    },
  };
}

// Not typed as the analyzer's `Config`: its `plugins` there are functions, where the analyzer
// takes (and its docs show) plugin objects.
export default {
  globs: ['src/components/*/*.ts', 'src/events/*.ts'],
  exclude: ['src/components/*/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    tagDefinitions(),
    publicMembersOnly(),
    typedEvents(),
    themeProperties(),
    publicModulesOnly(),
    modulesInPathOrder(),
  ],
};
