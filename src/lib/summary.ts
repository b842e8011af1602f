/** Figures of a set of evaluated items, as the dashboard shows them. */
import { lights, type Light } from './lights';
import { paces, type Pace } from './progress';

type Evaluated = { themeCode: string; themeName: string; pace: Pace; light: Light; actual: number; expected: number };

export type ThemeProgress = { code: string; name: string; items: number; actual: number; expected: number };

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function summarise(items: Evaluated[]) {
	// One pass: the themes in the order they first appear, with the sums their means need.
	const themes = new Map<string, ThemeProgress>();
	const paceCounts = zeros(paces);
	const lightCounts = zeros(lights);
	for (const item of items) {
		let t = themes.get(item.themeCode);
		if (!t) themes.set(item.themeCode, (t = { code: item.themeCode, name: item.themeName, items: 0, actual: 0, expected: 0 }));
		t.items += 1;
		t.actual += item.actual;
		t.expected += item.expected;
		paceCounts[item.pace] += 1;
		lightCounts[item.light] += 1;
	}
	for (const t of themes.values()) {
		t.actual /= t.items;
		t.expected /= t.items;
	}
	return { total: items.length, paces: paceCounts, lights: lightCounts, themes: [...themes.values()] };
}

export type Summary = ReturnType<typeof summarise>;
