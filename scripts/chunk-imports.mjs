// @ts-check
// What a built module of dist/ imports from beside it: statically (`import … from "./x.js"`,
// `import "./x.js"`: loaded before it runs) and on first use (`import("./x.js")`). The size
// report follows the static ones for the critical path; the package test checks both.

/**
 * @param {string} code a minified ES module
 * @returns {{ static: string[], dynamic: string[] }} file names relative to the module
 */
export function chunkImports(code) {
  const names = (/** @type {RegExp} */ pattern) => [...code.matchAll(pattern)].map((m) => m[1]);
  return {
    static: names(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g),
    dynamic: names(/\bimport\(\s*["'`]\.\/([^"'`]+\.js)["'`]\s*\)/g),
  };
}
