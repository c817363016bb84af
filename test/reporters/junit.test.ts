import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { renderFailure } from '../../src/checks/failure.js';
import { FIXTURE_OPERATIONS } from '../fixtures/reporting/outcomes.js';
import { runFixtureSuite, type FixtureRun } from './fixture-run.js';

// Jenkins/Ant junit-10 schema; source noted in the file.
const xsd = readFileSync(new URL('../fixtures/reporting/junit-10.xsd', import.meta.url), 'utf8');

async function validateJunit(xml: string) {
  return validateXML({ xml: { fileName: 'junit.xml', contents: xml }, schema: { fileName: 'junit-10.xsd', contents: xsd } });
}

function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#10;/g, '\n')
    .replace(/&amp;/g, '&');
}

describe('junit.xml', () => {
  let run: FixtureRun;
  let xml: string;
  beforeAll(async () => {
    run = await runFixtureSuite();
    xml = run.files['junit.xml'];
  });

  test('is valid against the junit-10 schema', async () => {
    const result = await validateJunit(xml);
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the schema check can fail: a testcase without a name is refused', async () => {
    const result = await validateJunit(xml.replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"'));
    expect(result.valid).toBe(false);
  });

  test('counts and times agree with the model and with each other', () => {
    const t = run.report.totals;
    const root = attributes(/<testsuites [^>]*>/.exec(xml)![0]);
    expect(root).toMatchObject({ tests: String(t.checks), failures: String(t.failed), errors: String(t.errors) });
    expect(xml.match(/<testcase /g)).toHaveLength(t.checks);
    expect(xml.match(/<failure /g)).toHaveLength(t.failed);
    expect(xml.match(/<error /g)).toHaveLength(t.errors);
    expect(xml.match(/<skipped /g)).toHaveLength(t.skipped);
    const suites = [...xml.matchAll(/<testsuite (.*?)>([\s\S]*?)<\/testsuite>/g)];
    expect(suites).toHaveLength(t.operations + 1); // + the webhook group
    let time = 0;
    for (const [, tag, body] of suites) {
      const a = attributes(tag);
      expect(Number(a.tests)).toBe(body.match(/<testcase /g)?.length);
      expect(Number(a.failures)).toBe(body.match(/<failure /g)?.length ?? 0);
      expect(Number(a.errors)).toBe(body.match(/<error /g)?.length ?? 0);
      expect(Number(a.skipped)).toBe(body.match(/<skipped /g)?.length ?? 0);
      time += Number(a.time);
    }
    expect(Number(root.time)).toBeCloseTo(time, 3);
  });

  test('a testcase is an operation × check; a failure carries the rendered failures, warnings and baselined ones go to system-out', () => {
    const [valuations] = FIXTURE_OPERATIONS;
    const schemaCase = /<testcase classname="GET \/accounts\/\{account_id\}\/valuations" name="response-schema"[\s\S]*?<\/testcase>/.exec(
      xml,
    )![0];
    const failure = unescapeXml(/<failure [^>]*>([\s\S]*?)<\/failure>/.exec(schemaCase)![1]);
    const [, second, baselined] = valuations.outcomes[0].failures;
    expect(failure).toContain(renderFailure(second));
    expect(failure).not.toContain(baselined.message);
    const systemOut = unescapeXml(/<system-out>([\s\S]*?)<\/system-out>/.exec(schemaCase)![1]);
    expect(systemOut).toContain(renderFailure(valuations.outcomes[0].warnings[0]));
    expect(systemOut).toContain(renderFailure(baselined));
    expect(attributes(/<failure [^>]*>/.exec(schemaCase)![0]).type).toBe('response-schema');
    expect(xml).toMatch(
      /<error message="no headers within 10 s \(client_secret=\[REDACTED\]\)" type="CT_ERR_HEADERS_TIMEOUT">auth:no-bearer: CT_ERR_HEADERS_TIMEOUT/,
    );
    expect(xml).toContain('<skipped message="the account has no valuations to page through"/>');
  });

  test('markup and control characters from the target are escaped', () => {
    expect(xml).toContain('&lt;script&gt;window.__injected');
    expect(xml).not.toContain('<script');
    expect(xml).toContain('\\u001b[31mteapot\\u001b[0m ]]&gt; &amp;');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  });
});
