import type { ServerInit } from '@sveltejs/kit';
import { startDatabase } from '$lib/server/app-db';
import { DatabaseOpenError } from '$lib/server/db';
import { CatalogueError } from '$lib/server/catalogue';

export const init: ServerInit = () => {
	try {
		console.log(startDatabase());
	} catch (error) {
		// A start that cannot open its database or read its catalogue stops with one clear line.
		if (error instanceof DatabaseOpenError || error instanceof CatalogueError) {
			console.error(error.message);
			process.exit(1);
		}
		throw error;
	}
};
