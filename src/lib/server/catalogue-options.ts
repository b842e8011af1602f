/** Choices the item forms offer: themes, units and sources. */
import { asc } from 'drizzle-orm';
import type { Tx } from './db';
import { source, theme, unit } from './db/schema';

export function itemFormOptions(db: Tx) {
	return {
		themes: db.select({ id: theme.id, name: theme.name }).from(theme).orderBy(asc(theme.position)).all(),
		units: db.select({ id: unit.id, name: unit.name }).from(unit).orderBy(asc(unit.position)).all(),
		sources: db.select({ id: source.id, title: source.title }).from(source).orderBy(asc(source.id)).all()
	};
}
