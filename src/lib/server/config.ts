/** Settings read from the environment, in one place. `npm start` documents them in the README. */
// Not from seed.ts: the form reader reads its limits here, and seed.ts reaches the form reader.
import { datasets, type Dataset } from './datasets';

export type ServerConfig = {
	databaseUrl: string;
	dataset: Dataset;
};

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
	const dataset = (env.DATASET ?? 'demo') as Dataset;
	if (!datasets.includes(dataset)) {
		throw new Error(`DATASET must be one of ${datasets.join(', ')}, not "${env.DATASET}"`);
	}
	return { databaseUrl: env.DATABASE_URL ?? 'data/suzhou.db', dataset };
}

/** The office that issues the Word circular (发文机关标识): `ISSUING_OFFICE`. */
export function issuingOffice(env: NodeJS.ProcessEnv = process.env): string {
	return env.ISSUING_OFFICE?.trim() || '苏州市重点任务督查督办办公室';
}

/** The register's prefix of a slip's 文号 (苏督 gives 苏督办〔2026〕3号): `SLIP_NUMBER_PREFIX`. */
export function slipNumberPrefix(env: NodeJS.ProcessEnv = process.env): string {
	return env.SLIP_NUMBER_PREFIX?.trim() || '苏督';
}

/** What one form may upload as 佐证材料: `EVIDENCE_MAX_MB` per file (20), `EVIDENCE_MAX_FILES` per form (10). */
export function evidenceLimits(env: NodeJS.ProcessEnv = process.env): { fileBytes: number; files: number } {
	const whole = (value: string | undefined, fallback: number) =>
		value && /^\d{1,5}$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
	return { fileBytes: whole(env.EVIDENCE_MAX_MB, 20) * 1024 * 1024, files: whole(env.EVIDENCE_MAX_FILES, 10) };
}
