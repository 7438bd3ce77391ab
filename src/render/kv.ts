/**
 * One row of the two-column text tables of cco's reports (`cco status`, `cco context`, `cco sessions`,
 * `cco tools`, `cco plan`): `indent` spaces, the label padded to `width` characters, a space, the value.
 * Pure.
 */
export function kv(label: string, value: string, width = 18, indent = 2): string {
  return `${' '.repeat(indent)}${label.padEnd(width)} ${value}`;
}
