/**
 * The one parser of every integer flag of the command: plain decimal only (no `0x10`, `1e3`,
 * `1.0`, ` 7` or empty), within the flag's range. Used as commander's argument parser, so an
 * error names the flag as the user typed it: `error: option '--len <bytes>' argument '0x10' is
 * invalid. Expected a decimal integer between 1 and 16777216`.
 */
import { InvalidArgumentError } from 'commander';

const DECIMAL = /^-?(0|[1-9]\d*)$/;

/** The integer `text` stands for, or an explanation of why it does not fit [min, max]. */
export function parseStrictInt(text: string, min: number, max: number): number | string {
  const what = `a decimal integer between ${min} and ${max}`;
  if (!DECIMAL.test(text)) return `Expected ${what}`;
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min || v > max) return `Expected ${what}`;
  return v;
}

/** A commander argument parser for an integer flag in [min, max]. */
export function intOption(min: number, max: number): (text: string) => number {
  return (text) => {
    const v = parseStrictInt(text, min, max);
    if (typeof v === 'string') throw new InvalidArgumentError(v);
    return v;
  };
}

/** A commander argument parser for a comma-separated list of integers in [min, max]. */
export function intListOption(min: number, max: number): (text: string) => number[] {
  return (text) => text.split(',').map((item) => {
    const v = parseStrictInt(item.trim(), min, max);
    if (typeof v === 'string') throw new InvalidArgumentError(`${v} in a comma-separated list (item ${JSON.stringify(item)})`);
    return v;
  });
}

export const UINT_MAX = 0xffffffff;
export const INT_MAX = 0x7fffffff;
