/**
 * Colours of the charts: the lights in tones told apart by people with the common colour-vision
 * deficiencies (and never used alone: a label or shape always goes with them), and two series colours
 * from the Okabe-Ito palette.
 */
import type { Light } from '$lib/lights';

export const lightColours: Record<Light, string> = { green: '#1b7f3b', yellow: '#e6a700', red: '#c0392b' };
export const seriesColours = {
	actual: '#0072b2',
	expected: '#e69f00',
	planned: '#999999',
	met: '#0072b2',
	behind: '#d55e00',
	overdue: '#cc79a7'
};
