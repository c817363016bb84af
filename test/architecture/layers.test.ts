/**
 * The layers point one way: spec → generated → engine/checks → result → reporters, with the mock
 * and the mutation harness beside them. Every import statement of src/, reporters/ and suites/ is
 * read with the TypeScript parser (type-only imports told apart from value imports), and each
 * rule is a table row: which files, which imports are forbidden, and why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface ImportEdge {
  /** The importing file, relative to the repository (posix separators). */
  from: string;
  /** The imported module: a repository path without extension for relative imports, else the bare specifier. */
  to: string;
  /** `import type …`, `export type … from`, or every named binding marked `type`. */
  typeOnly: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'));
}

function typeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0
    ? bindings.elements.every((e) => e.isTypeOnly)
    : false;
}

/** Every import and re-export of a file, dynamic `import('…')` included (as a value import). */
function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean, node: ts.Node) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const raw = specifier.text;
    const to = raw.startsWith('.') ? posix.join(posix.dirname(file), raw).replace(/\.(js|ts|mjs)$/, '') : raw;
    edges.push({ from: file, to, typeOnly, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, typeOnlyImport(node), node);
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, node.isTypeOnly, node);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], false, node);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true, node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const FILES = [...sourceFiles('src'), ...sourceFiles('reporters'), ...sourceFiles('suites')];
const EDGES = FILES.flatMap((file) => importsOf(file));

const under = (dir: string) => (path: string) => path.startsWith(`${dir}/`);

/** What reporters may take from src/checks: the public result types, failure rendering and the basis text. */
const REPORTER_CHECK_MODULES = new Set(['src/checks/types', 'src/checks/failure', 'src/checks/basis']);
/** Values a check may import from src/client: the redaction helper, nothing that sends. */
const CHECK_CLIENT_VALUES = new Set(['src/client/redact']);

interface LayerRule {
  rule: string;
  files: (path: string) => boolean;
  forbidden: (edge: ImportEdge) => boolean;
}

const RULES: LayerRule[] = [
  {
    rule: 'the engine does not import the mock (the mutation harness is its own room beside the mock)',
    files: under('src/engine'),
    forbidden: (e) => under('src/mock')(e.to) || under('src/mutation')(e.to),
  },
  {
    rule: 'src/ does not import suites/ (the vitest adapter is a consumer of the engine)',
    files: under('src'),
    forbidden: (e) => under('suites')(e.to) || e.to === 'suites',
  },
  {
    rule: 'only the CLI and the public entry wire reporters: the engine, checks, spec and client do not import them',
    files: (path) => ['src/engine', 'src/checks', 'src/spec', 'src/client'].some((dir) => under(dir)(path)),
    forbidden: (e) => under('reporters')(e.to),
  },
  {
    rule: "reporters import from src/checks only the public result types, failure rendering and basis text, not a check's own types",
    files: under('reporters'),
    forbidden: (e) => under('src/checks')(e.to) && !REPORTER_CHECK_MODULES.has(e.to),
  },
  {
    rule: 'checks import from src/client only types, and the redaction helper',
    files: under('src/checks'),
    forbidden: (e) => under('src/client')(e.to) && !e.typeOnly && !CHECK_CLIENT_VALUES.has(e.to),
  },
  {
    rule: 'checks do not import the engine, the mock, the CLI or the mutation harness at run time',
    files: under('src/checks'),
    forbidden: (e) => !e.typeOnly && ['src/engine', 'src/mock', 'src/cli', 'src/mutation'].some((dir) => under(dir)(e.to)),
  },
  {
    rule: 'the mock does not import the engine, the checks or the CLI (it stands for the target)',
    files: under('src/mock'),
    forbidden: (e) => !e.typeOnly && ['src/engine', 'src/checks', 'src/cli'].some((dir) => under(dir)(e.to)),
  },
];

describe('the scanner', () => {
  test.for([
    { text: "import type { A } from './a.js';", want: [{ to: 'src/checks/a', typeOnly: true }] },
    { text: "import { type A, type B } from '../client/b.js';", want: [{ to: 'src/client/b', typeOnly: true }] },
    { text: "import { type A, b } from '../client/b.js';", want: [{ to: 'src/client/b', typeOnly: false }] },
    { text: "import c, { type A } from './c.js';", want: [{ to: 'src/checks/c', typeOnly: false }] },
    { text: "import './side-effect.js';", want: [{ to: 'src/checks/side-effect', typeOnly: false }] },
    { text: "export { x } from '../mock/x.js';", want: [{ to: 'src/mock/x', typeOnly: false }] },
    { text: "export type { X } from '../mock/x.js';", want: [{ to: 'src/mock/x', typeOnly: true }] },
    { text: "const m = await import('../mock/server.js');", want: [{ to: 'src/mock/server', typeOnly: false }] },
    { text: "let s: import('../mock/server.js').Server;", want: [{ to: 'src/mock/server', typeOnly: true }] },
    { text: "import ts from 'typescript';", want: [{ to: 'typescript', typeOnly: false }] },
  ])('$text', ({ text, want }) => {
    expect(importsOf('src/checks/probe.ts', text).map(({ to, typeOnly }) => ({ to, typeOnly }))).toEqual(want);
  });

  test('finds the files and their imports (a scan that finds nothing proves nothing)', () => {
    expect(FILES).toContain('src/engine/run.ts');
    expect(FILES).toContain('reporters/json.ts');
    expect(FILES).toContain('suites/vitest.ts');
    expect(EDGES.filter((e) => e.from === 'src/checks/registry.ts').map((e) => e.to)).toContain('src/checks/auth');
  });
});

describe('layers', () => {
  test.for(RULES)('$rule', ({ files, forbidden }) => {
    const scoped = EDGES.filter((e) => files(e.from));
    expect(scoped.length, 'the rule applies to some imports').toBeGreaterThan(0);
    expect(scoped.filter(forbidden).map((e) => `${e.from}:${e.line} imports ${e.to}${e.typeOnly ? ' (type)' : ''}`)).toEqual([]);
  });

  test.for([
    { rule: 0, edge: { from: 'src/engine/run.ts', to: 'src/mock/server', typeOnly: false, line: 1 } },
    { rule: 1, edge: { from: 'src/cli/run.ts', to: 'suites/vitest', typeOnly: true, line: 1 } },
    { rule: 3, edge: { from: 'reporters/json.ts', to: 'src/checks/pagination', typeOnly: true, line: 1 } },
    { rule: 4, edge: { from: 'src/checks/auth.ts', to: 'src/client/upvest-client', typeOnly: false, line: 1 } },
    { rule: 5, edge: { from: 'src/checks/auth.ts', to: 'src/engine/check-context', typeOnly: false, line: 1 } },
    { rule: 6, edge: { from: 'src/mock/http.ts', to: 'src/checks/util', typeOnly: false, line: 1 } },
  ])('rule $rule refuses $edge.from → $edge.to', ({ rule, edge }) => {
    expect(RULES[rule].files(edge.from) && RULES[rule].forbidden(edge)).toBe(true);
  });

  test.for([
    { rule: 3, edge: { from: 'reporters/json.ts', to: 'src/checks/types', typeOnly: true, line: 1 } },
    { rule: 4, edge: { from: 'src/checks/auth.ts', to: 'src/client/upvest-client', typeOnly: true, line: 1 } },
    { rule: 4, edge: { from: 'src/checks/failure.ts', to: 'src/client/redact', typeOnly: false, line: 1 } },
    { rule: 5, edge: { from: 'src/checks/side-effects.ts', to: 'src/engine/check-context', typeOnly: true, line: 1 } },
  ])('rule $rule allows $edge.from → $edge.to', ({ rule, edge }) => {
    expect(RULES[rule].forbidden(edge)).toBe(false);
  });
});
