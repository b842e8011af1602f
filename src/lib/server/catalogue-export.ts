/** The catalogue as one JSON document for other systems (`npm run cli -- export --format json`). */
import { asc, eq } from 'drizzle-orm';
import type { CalendarDate } from '$lib/dates';
import type { Tx } from './db';
import { initiativeCoUnit, milestone, source, unit } from './db/schema';
import { listInitiatives } from './portfolio';

export function exportCatalogue(db: Tx, date: CalendarDate) {
	const sources = db.select().from(source).orderBy(asc(source.id)).all();
	const coUnits = db
		.select({ initiativeId: initiativeCoUnit.initiativeId, name: unit.name })
		.from(initiativeCoUnit)
		.innerJoin(unit, eq(unit.id, initiativeCoUnit.unitId))
		.orderBy(asc(unit.position))
		.all();
	const milestones = db.select().from(milestone).orderBy(asc(milestone.position), asc(milestone.dueOn)).all();
	const sourceSlug = new Map(sources.map((s) => [s.id, s.slug]));
	return {
		asOf: date,
		source: sources[0] && {
			slug: sources[0].slug,
			title: sources[0].title,
			speaker: sources[0].speaker,
			date: sources[0].deliveredOn
		},
		sources: sources.map((s) => ({ slug: s.slug, title: s.title, speaker: s.speaker, date: s.deliveredOn })),
		initiatives: listInitiatives(db, date).map((item) => {
			return {
				code: item.code,
				title: item.title,
				theme: item.themeName,
				source: sourceSlug.get(item.sourceId),
				leadUnit: item.leadUnitName,
				coUnits: coUnits.filter((c) => c.initiativeId === item.id).map((c) => c.name),
				leader: item.leader,
				startOn: item.startOn,
				dueOn: item.dueOn,
				sourceQuote: item.sourceQuote,
				quoteStart: item.quoteStart,
				quoteEnd: item.quoteEnd,
				status: item.status,
				completedOn: item.completedOn,
				progress: Math.round(item.actual * 1000) / 10,
				expectedProgress: Math.round(item.expected * 1000) / 10,
				pace: item.pace,
				light: item.light,
				demo: item.demo,
				milestones: milestones
					.filter((m) => m.initiativeId === item.id)
					.map((m) => ({ title: m.title, due: m.dueOn, weight: m.weight, completedOn: m.completedOn, demo: m.demo }))
			};
		})
	};
}
