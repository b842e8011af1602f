import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` turns changes of the schema into a new SQL migration under migrations/.
export default defineConfig({
	dialect: 'sqlite',
	schema: './src/lib/server/db/schema.ts',
	out: './migrations',
	strict: true,
	verbose: true
});
