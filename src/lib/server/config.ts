/** Settings read from the environment, in one place. `npm start` documents them in the README. */
import { datasets, type Dataset } from './seed';

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
