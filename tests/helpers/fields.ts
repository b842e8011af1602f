import { getTableColumns, type Table } from 'drizzle-orm';

/** The text and number fields of a table: what `fieldsAsOfEach` reads. */
export function textAndNumberFields(table: Table): string[] {
	return Object.entries(getTableColumns(table))
		.filter(([, column]) => column.dataType === 'string' || column.dataType === 'number')
		.map(([key]) => key);
}

/** The rows with only those fields. */
export const picked = (rows: object[], fields: string[]) =>
	rows.map((row) => Object.fromEntries(fields.map((f) => [f, (row as Record<string, unknown>)[f]])));
