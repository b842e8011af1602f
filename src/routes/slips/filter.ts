/** The register's filter, read from the URL the same way by the page and by its export. */
import { slipColours, slipStates, type SlipColour, type SlipState } from '$lib/slips';
import type { SlipFilter } from '$lib/server/slip-register';

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | null =>
	value !== null && (list as readonly string[]).includes(value) ? (value as T) : null;

const id = (value: string | null) => (value !== null && /^\d{1,9}$/.test(value) ? Number(value) : null);

export function slipFilterOf(params: URLSearchParams): SlipFilter {
	const year = params.get('year');
	return {
		year: year !== null && /^\d{4}$/.test(year) ? Number(year) : null,
		colour: oneOf<SlipColour>(slipColours, params.get('colour')),
		state: oneOf<SlipState>(slipStates, params.get('state')),
		unitId: id(params.get('unit'))
	};
}
