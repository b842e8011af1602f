/**
 * How lists are ordered. ISO dates, months and item codes compare by their characters (fast, and the
 * same in every locale); names of units and people as a Chinese reader expects, by one collator made
 * once (`localeCompare` with a locale builds a collator on every call: seconds over a province's lists).
 */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const chinese = new Intl.Collator('zh-CN');

export const byChineseName = (a: string, b: string): number => chinese.compare(a, b);
