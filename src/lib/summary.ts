/** Figures of a set of evaluated items, as the dashboard shows them. */
import { lights, type Light } from './lights';
import { paces, type Pace } from './progress';

type Evaluated = { themeCode: string; themeName: string; pace: Pace; light: Light; actual: number; expected: number };

export type ThemeProgress = { code: string; name: string; items: number; actual: number; expected: number };

function countBy<K extends string>(keys: readonly K[], values: K[]): Record<K, number> {
	const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
	for (const v of values) counts[v] += 1;
	return counts;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export function summarise(items: Evaluated[]) {
	const themes: ThemeProgress[] = [];
	for (const item of items) {
		let t = themes.find((x) => x.code === item.themeCode);
		if (!t) themes.push((t = { code: item.themeCode, name: item.themeName, items: 0, actual: 0, expected: 0 }));
		t.items += 1;
	}
	for (const t of themes) {
		const mine = items.filter((i) => i.themeCode === t.code);
		t.actual = mean(mine.map((i) => i.actual));
		t.expected = mean(mine.map((i) => i.expected));
	}
	return {
		total: items.length,
		paces: countBy(
			paces,
			items.map((i) => i.pace)
		),
		lights: countBy(
			lights,
			items.map((i) => i.light)
		),
		themes
	};
}

export type Summary = ReturnType<typeof summarise>;
