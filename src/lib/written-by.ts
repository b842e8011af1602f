/**
 * Who wrote a report or an opinion, for the line under it: the unit and the person, the unit once
 * when the person's name already begins with it (accounts are often named after their unit:
 * 市委政法委填报员, which "市委政法委 市委政法委填报员" repeated).
 */
export function writtenBy(unit: string | null, name: string | null): string {
	if (unit && name && !name.startsWith(unit)) return `${unit} · ${name}`;
	return name || unit || '—';
}
