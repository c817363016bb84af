/** The recorded documentation samples (spec/samples) and their tags, for tests. */
import { readFileSync } from 'node:fs';
import { responseValidatorName, eventValidatorName } from '../../src/spec/build-manifest.js';
import { operationById } from '../../src/spec/manifest.js';

export interface SampleEntry {
  file: string;
  kind: 'response' | 'request' | 'webhook';
  operationId?: string;
  status?: string;
  contentType?: string;
  eventType?: string;
  sources: string[];
}

export interface Deviation {
  sample: string;
  reason: string;
  schemaErrors: { instancePath: string; keyword: string }[];
  flaggedBy: { check: string; severity?: string; because: string }[];
}

const samplesDir = new URL('../../spec/samples/', import.meta.url);

export const sampleIndex: SampleEntry[] = JSON.parse(readFileSync(new URL('index.json', samplesDir), 'utf8')).samples;
export const deviations: Deviation[] = JSON.parse(readFileSync(new URL('deviations.json', samplesDir), 'utf8')).deviations;

export function loadSample(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, samplesDir), 'utf8'));
}

/** The generated validator a sample's tag names. */
export function validatorFor(entry: SampleEntry): string {
  if (entry.kind === 'response') return responseValidatorName(entry.operationId!, entry.status!, entry.contentType!);
  if (entry.kind === 'request') {
    const body = operationById(entry.operationId!).requestBody;
    if (!body) throw new Error(`${entry.operationId} has no request body`);
    return body.validator;
  }
  return eventValidatorName(entry.eventType!);
}
