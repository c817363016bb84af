/** Whether a local path can be written, judged before the work that ends by writing it. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Unwritable {
  why: 'is-a-folder' | 'no-folder' | 'no-permission';
  /** In words, for the message: "it is a folder", "the folder … does not exist". */
  message: string;
}

/** Why `file` cannot be created or appended to; undefined when it can. */
export function fileUnwritable(file: string): Unwritable | undefined {
  const folder = dirname(file);
  if (existsSync(file) && statSync(file).isDirectory()) return { why: 'is-a-folder', message: 'it is a folder' };
  if (!existsSync(folder)) return { why: 'no-folder', message: `the folder ${folder} does not exist` };
  if (!statSync(folder).isDirectory()) return { why: 'no-folder', message: `${folder} is not a folder` };
  try {
    accessSync(existsSync(file) ? file : folder, constants.W_OK);
  } catch {
    return { why: 'no-permission', message: 'no permission to write there' };
  }
  return undefined;
}
